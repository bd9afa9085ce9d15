// 筹备 / 成立登记 form: when the chosen 登记方式 registers directly (城乡社区服务类、公益慈善类, seed 000), the
// supervising unit is not needed — the field is disabled and says so; otherwise it is required.
(function () {
  "use strict";
  var unit = document.querySelector("input[name=supervising_unit]");
  var radios = document.querySelectorAll("input[name=registration_class]");
  if (!unit || !radios.length) return;
  var note = document.createElement("div");
  note.className = "form-text text-success";
  note.setAttribute("data-testid", "direct-note");
  unit.insertAdjacentElement("afterend", note);

  function update() {
    var chosen = document.querySelector("input[name=registration_class]:checked");
    var direct = chosen && chosen.value !== "supervised";
    unit.disabled = !!direct;
    note.textContent = direct ? "直接登记：不需要业务主管单位。" : (chosen ? "请填写业务主管单位，并取得其同意。" : "");
  }

  radios.forEach(function (r) { r.addEventListener("change", update); });
  update();
})();
