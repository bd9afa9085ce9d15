// 本平台建议: while the proposed name is typed, ask the server for similar live names in the county and show a
// warning under the field. Only a help: the check when the application is submitted decides.
(function () {
  "use strict";
  var form = document.querySelector("form[data-name-check-url]");
  var input = form && form.querySelector("input[data-name-check]");
  if (!input) return;
  var url = form.getAttribute("data-name-check-url");
  var division = form.querySelector("[name=division]");
  var box = document.createElement("div");
  box.className = "form-text";
  box.setAttribute("aria-live", "polite");
  box.setAttribute("data-testid", "name-check");
  input.insertAdjacentElement("afterend", box);
  var timer = null;
  var seq = 0;

  function show(data) {
    box.textContent = "";
    if (!data.message) return;
    box.className = "form-text text-warning-emphasis";
    var tag = document.createElement("span");
    tag.className = "badge text-bg-light me-1";
    tag.textContent = data.label;
    box.appendChild(tag);
    box.appendChild(document.createTextNode(data.message));
    if (data.matches.length) {
      var list = document.createElement("ul");
      list.className = "mb-0";
      data.matches.slice(0, 5).forEach(function (m) {
        var li = document.createElement("li");
        li.textContent = m.name + "（" + m.division + "）";
        list.appendChild(li);
      });
      box.appendChild(list);
    }
  }

  function check() {
    var name = input.value.trim();
    var mine = ++seq;
    if (name.length < 2) { show({ message: "" }); return; }
    var query = "?name=" + encodeURIComponent(name) + "&division=" + encodeURIComponent(division ? division.value : "");
    fetch(url + query, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && mine === seq) show(data); })
      .catch(function () {});
  }

  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(check, 400); });
  if (division) division.addEventListener("change", check);
  if (input.value) check();
})();
