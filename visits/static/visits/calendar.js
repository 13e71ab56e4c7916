/* The booking calendar without a reload: a tap on a slot fills the form's date and slot
   (the links still work without JavaScript, reloading the page with them filled in). */
(function () {
  "use strict";
  var calendar = document.querySelector("[data-booking-calendar]");
  var form = document.querySelector("form.booking-form");
  if (!calendar || !form) { return; }
  var day = form.querySelector("[name=visit_on]");
  var slot = form.querySelector("[name=slot]");
  var said = document.getElementById("picked-slot");
  calendar.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-day]");
    if (!link) { return; }
    event.preventDefault();
    day.value = link.dataset.day;
    slot.value = link.dataset.slot;
    calendar.querySelectorAll("a.picked").forEach(function (a) { a.classList.remove("picked"); a.removeAttribute("aria-current"); });
    link.classList.add("picked");
    link.setAttribute("aria-current", "true");
    if (said) { said.textContent = link.getAttribute("aria-label"); }
    form.scrollIntoView({ behavior: "smooth", block: "start" });
    form.querySelector("[name=group_name]").focus({ preventScroll: true });
  });
}());
