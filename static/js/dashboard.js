/* Supervisors' dashboard: refresh the open-alert counts every 30 s without reloading the page.
   Progressive enhancement only — the page is complete without it. No external libraries. */
(function () {
  "use strict";
  var box = document.querySelector("[data-counts-url]");
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-counts-url");

  function render(data) {
    var set = function (key, value) {
      var el = box.querySelector('[data-count="' + key + '"]');
      if (el && String(value) !== el.textContent) {
        el.textContent = value;
        el.classList.add("kpi__value--changed");
        window.setTimeout(function () { el.classList.remove("kpi__value--changed"); }, 1500);
      }
    };
    set("open", data.open);
    Object.keys(data.levels).forEach(function (level) { set(level, data.levels[level]); });
    var at = box.querySelector('[data-count="at"]');
    if (at) { at.textContent = data.at; }
  }

  function poll() {
    if (document.hidden) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { render(data); } })
      .catch(function () { /* offline for a moment: the next poll tries again */ });
  }

  window.setInterval(poll, 30000);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
