// The dues register's print button, without an inline handler (the Content Security Policy
// blocks those): the print stylesheet in css/admin.css makes the page the register alone.
document.addEventListener("click", function (event) {
  if (event.target.id === "dues-register-print") {
    window.print();
  }
});
