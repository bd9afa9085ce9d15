// Small behaviours shared by all pages; no inline scripts (CSP).
document.addEventListener("click", function (event) {
  const back = event.target.closest('[data-action="back"]');
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
  const confirmEl = event.target.closest("[data-confirm]");
  if (confirmEl && !window.confirm(confirmEl.dataset.confirm)) {
    event.preventDefault();
  }
});
document.body.addEventListener("htmx:configRequest", function (event) {
  const token = document.querySelector('meta[name="csrf-token"]');
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
