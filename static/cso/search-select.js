// Search-as-you-type drop-downs (cso.core.widgets.SearchSelect) built with tom-select. The page holds
// only the chosen option; matches come from the lookup URL on the element as the user types.
// No inline scripts (CSP).
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function init(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    const url = select.dataset.lookupUrl;
    const create = select.dataset.create === "1";
    const emptyOption = select.querySelector('option[value=""]');
    const forward = (select.dataset.forward || "").split(" ").filter(Boolean);

    // The current values of the other fields this search depends on (data-forward), as query text.
    function forwarded() {
      const form = select.form;
      return forward.map(function (name) {
        const field = form && form.elements.namedItem(name);
        const value = field && "value" in field ? field.value : "";
        return "&" + encodeURIComponent(name) + "=" + encodeURIComponent(value || "");
      }).join("");
    }

    new TomSelect(select, {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      // The server has already chosen and ordered the matches: keep them all, in its order.
      score: function () { return function () { return 1; }; },
      // An empty choice with a name (「（无）」) is a choice; a nameless one is just the placeholder.
      allowEmptyOption: Boolean(emptyOption && emptyOption.textContent.trim()),
      placeholder: select.dataset.placeholder || "",
      maxOptions: 50,
      loadThrottle: 250,
      create: create,
      createOnBlur: create,
      persist: false,
      shouldLoad: function (query) { return query.trim().length > 0; },
      load: function (query, callback) {
        const self = this;
        fetch(url + "&q=" + encodeURIComponent(query) + forwarded(), {
          credentials: "same-origin",
          headers: { "Accept": "application/json", "X-Requested-With": "fetch" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            self.clearOptions();
            callback(data.results);
          })
          .catch(function () { callback(); });
      },
      render: {
        no_results: function () { return '<div class="no-results">没有找到，请换个名称或代码再试</div>'; },
        loading: function () { return '<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">正在查找…</span></div>'; },
        option_create: function (data) {
          return '<div class="create">使用“<strong>' + escapeHtml(data.input) + '</strong>”</div>';
        },
      },
    });
  }

  document.querySelectorAll("select[data-search-select]").forEach(init);
})();
