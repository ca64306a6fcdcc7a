// The portal's only script (the Content-Security-Policy allows no inline script or handler).
// Every page works without it; with it, htmx requests carry the CSRF token and a few
// controls that only make sense with JavaScript appear.
"use strict";

// htmx's POSTs send the CSRF token the layout puts in <meta name="csrf-token">.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.content;
  }
});

document.addEventListener("DOMContentLoaded", function () {
  // Controls marked data-with-script are hidden until a script can make them work.
  document.querySelectorAll("[data-with-script]").forEach(function (element) {
    element.hidden = false;
  });
});

// Enter in a field marked data-no-submit (a live filter) must not send the whole form.
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && event.target.matches && event.target.matches("[data-no-submit]")) {
    event.preventDefault();
  }
});
