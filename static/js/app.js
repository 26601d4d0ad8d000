// Small behaviours that would otherwise need inline scripts (the CSP forbids them).
document.addEventListener("change", (event) => {
  if (event.target.matches(".js-autosubmit")) event.target.form.submit();
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});
