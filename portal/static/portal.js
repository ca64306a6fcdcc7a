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

// The idle warning: a few minutes before the session ends (sessions.py, SESSION_IDLE_MINUTES)
// a banner offers "stay signed in", which asks the server for nothing but a sign of life; once
// the time is past, it says so (a form sent then is kept for after signing in again).
document.addEventListener("DOMContentLoaded", function () {
  var banner = document.getElementById("session-warning");
  if (!banner) {
    return;
  }
  var idle = Number(banner.dataset.idleSeconds) * 1000;
  var warn = Number(banner.dataset.warnSeconds) * 1000;
  var form = banner.querySelector("form[data-keep-alive]");
  var ending = banner.querySelector("[data-session-ending]");
  var ended = banner.querySelector("[data-session-ended]");
  var timers = [];

  function showEnded() {
    banner.hidden = false;
    ending.hidden = true;
    form.hidden = true;
    ended.hidden = false;
  }

  function restart() {
    timers.forEach(clearTimeout);
    banner.hidden = true;
    ending.hidden = false;
    form.hidden = false;
    ended.hidden = true;
    timers = [
      // Shown, not focused: the person may be typing.
      setTimeout(function () {
        banner.hidden = false;
      }, Math.max(idle - warn, 0)),
      setTimeout(showEnded, idle),
    ];
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
      redirect: "manual",
    }).then(function (response) {
      if (response.status === 204) {
        restart();
      } else {
        showEnded();
      }
    }, showEnded);
  });
  // Every htmx request the server answered restarted its idle clock too.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      restart();
    }
  });
  restart();
});
