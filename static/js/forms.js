// Forms: each control measure shows only its own fields, and after a refused submit the page
// opens on a summary of what to fix, focused, each item linking to its field (issue 17).
(function () {
  "use strict";

  function toggleMeasureFields(form) {
    var select = form.querySelector('select[name$="measure"]');
    if (!select) return;
    var apply = function () {
      form.querySelectorAll("[data-measures]").forEach(function (el) {
        var shown = el.getAttribute("data-measures").split(",").indexOf(select.value) !== -1;
        el.hidden = !shown;
        el.querySelectorAll("input, select, textarea").forEach(function (input) { input.disabled = !shown; });
      });
    };
    select.addEventListener("change", apply);
    apply();
  }

  function errorSummary() {
    var invalid = document.querySelectorAll(".field-invalid");
    var existing = document.querySelector(".form-errors");
    if (!invalid.length && !existing) return;
    var main = document.querySelector("main");
    if (!main) return;
    var box = document.createElement("div");
    box.className = "error-summary";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    var title = document.createElement("p");
    title.className = "error-summary__title";
    title.textContent = "提交未成功，请修改以下内容：";
    box.appendChild(title);
    var list = document.createElement("ul");
    invalid.forEach(function (field) {
      var label = field.querySelector("label");
      var error = field.querySelector(".field-error");
      var input = field.querySelector("input, select, textarea");
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + (input ? input.id : "");
      link.textContent = (label ? label.textContent.replace("*", "").trim() + "：" : "") + (error ? error.textContent : "");
      item.appendChild(link);
      list.appendChild(item);
    });
    document.querySelectorAll(".form-errors li .violation-detail, .form-errors > p:not(.form-errors__title)")
      .forEach(function (el) {
        var item = document.createElement("li");
        item.textContent = el.textContent;
        list.appendChild(item);
      });
    box.appendChild(list);
    main.insertBefore(box, main.firstChild);
    document.querySelectorAll(".action-form-failed details, details.action-details").forEach(function (d) {
      if (d.querySelector(".field-invalid, .form-errors")) d.open = true;
    });
    box.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form").forEach(toggleMeasureFields);
    errorSummary();
  });
})();
