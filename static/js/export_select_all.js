// "Select all" of django-import-export's export form, bound here instead of an inline
// onchange attribute, which the Content-Security-Policy blocks.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
