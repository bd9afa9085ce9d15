// Quarterly statistics tables: a year selector that applies itself (confirmations come from site.js data-confirm).
(function () {
  "use strict";
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
