// The action form, better with JavaScript and complete without: the question list shows only the
// chosen theme's questions (the server still checks), and the linked pages get a search box.
(function () {
  "use strict";
  document.querySelectorAll("select[data-narrow-by]").forEach(function (select) {
    var theme = document.getElementById(select.dataset.narrowBy);
    if (!theme) return;
    function narrow() {
      var chosen = theme.options[theme.selectedIndex] ? theme.options[theme.selectedIndex].text : "";
      select.querySelectorAll("optgroup").forEach(function (group) {
        var show = !theme.value || group.label === chosen;
        group.hidden = !show;
        group.disabled = !show;
        if (!show && group.contains(select.options[select.selectedIndex])) select.value = "";
      });
    }
    theme.addEventListener("change", narrow);
    narrow();
  });
  var lists = [];
  document.querySelectorAll("input[data-searchable]").forEach(function (box) {
    var list = box.closest("div[id]");
    if (list && lists.indexOf(list) === -1) lists.push(list);
  });
  lists.forEach(function (list) {
    var label = list.closest(".field") ? list.closest(".field").querySelector("label") : null;
    var input = document.createElement("input");
    input.type = "search";
    input.className = "ap-checklist__search";
    input.placeholder = list.dataset.searchPlaceholder || "Zoek een pagina";
    input.setAttribute("aria-label", (label ? label.textContent + ": " : "") + input.placeholder);
    list.parentNode.insertBefore(input, list);
    input.addEventListener("input", function () {
      var term = input.value.trim().toLowerCase();
      list.querySelectorAll("label").forEach(function (item) {
        var row = item.closest("div") || item;
        row.hidden = term && item.textContent.toLowerCase().indexOf(term) === -1 && !item.querySelector("input").checked;
      });
    });
  });
})();
