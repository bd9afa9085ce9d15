// Account forms: find a division by name or code (datalist filled from the server), and show the
// name of the chosen division under the code field. No inline scripts (CSP).
(function () {
  const input = document.querySelector("[data-division-lookup]");
  const form = input && input.closest("[data-division-lookup-url]");
  const list = document.getElementById("division-options");
  const hint = document.getElementById("division-hint");
  if (!input || !form || !list) return;
  const url = form.dataset.divisionLookupUrl;
  let timer = null;
  let lastTerm = "";

  function showHint() {
    if (!hint) return;
    const match = Array.from(list.options).find(function (o) { return o.value === input.value.trim(); });
    hint.textContent = match ? "已选择：" + match.textContent : "";
  }

  function lookup() {
    const term = input.value.trim();
    if (!term || term === lastTerm) { showHint(); return; }
    lastTerm = term;
    fetch(url + "?q=" + encodeURIComponent(term), { headers: { "X-Requested-With": "fetch" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        list.innerHTML = html;
        showHint();
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 250);
  });
  input.addEventListener("change", showHint);
  if (input.value) lookup();
})();
