// The "select all" toggle of django-import-export's export page, without an inline handler
// (the Content Security Policy blocks those). onSelectToggleChange comes from the library's
// export_selectable_fields.js, loaded with the form's media.
document.addEventListener("change", function (event) {
  if (event.target.matches("input.select-toggle") && typeof onSelectToggleChange === "function") {
    onSelectToggleChange(event);
  }
});
