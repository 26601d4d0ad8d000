// Small behaviours that would otherwise need inline scripts (the CSP forbids them).
document.addEventListener("change", (event) => {
  if (event.target.matches(".js-autosubmit")) event.target.form.submit();
});
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) event.preventDefault();
});

// People pickers (apps/core/widgets.py): Tom Select, from npm, served from static_vendor/. The
// chosen people are submitted in the order they were picked (reviewers one after another).
function initPeoplePickers(root) {
  if (typeof TomSelect === "undefined") return;
  root.querySelectorAll("select[data-people-picker]").forEach((el) => {
    if (el.tomselect) return;
    const text = (s) => String(s || "").replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    new TomSelect(el, {
      plugins: { remove_button: { title: el.dataset.removeLabel || "" } },
      maxOptions: null,
      // No hidePlaceholder: hiding the text box on blur shrinks the control by a line, and the
      // button below moved between mouse down and up, so the first click did not submit.
      placeholder: el.dataset.placeholder || "",
      closeAfterSelect: el.dataset.peoplePicker === "ordered",
      render: {
        no_results: () => `<div class="no-results">${text(el.dataset.noResults)}</div>`,
      },
    });
  });
}
document.addEventListener("DOMContentLoaded", () => initPeoplePickers(document));
document.addEventListener("htmx:load", (event) => initPeoplePickers(event.target));
