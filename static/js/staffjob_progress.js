// Moves the progress bars of running staff jobs (admin), polling their JSON every second.
// A static file, so the Content-Security-Policy needs no exception.
(function () {
  "use strict";
  function poll(el) {
    fetch(el.dataset.url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (p) {
        var bar = el.querySelector("progress");
        bar.max = p.total || 1;
        bar.value = p.done;
        el.querySelector(".staffjob-count").textContent = p.done + " / " + (p.total || "?");
        el.querySelector(".staffjob-status").textContent = p.status_label;
        el.querySelector(".staffjob-message").textContent = p.message || "";
        if (p.status === "queued" || (p.status === "running" && !p.interrupted)) {
          setTimeout(function () { poll(el); }, 1000);
        } else if (el.dataset.status !== p.status) {
          window.location.reload(); // show the result and the file
        }
      })
      .catch(function () { setTimeout(function () { poll(el); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".staffjob-progress").forEach(function (el) {
      if (el.dataset.status === "queued" || el.dataset.status === "running") { poll(el); }
    });
  });
})();
