// The meeting and series forms, better with JavaScript and complete without: choosing another kind of meeting
// ticks that kind's default invitees (the board its bestuurders, the working group its members), as long as
// nobody changed the ticks by hand. Without JavaScript the "new meeting" links per kind give the same defaults.
(function () {
  "use strict";
  var data = document.getElementById("mt-invitee-defaults");
  var kind = document.getElementById("id_kind");
  var partnership = document.getElementById("id_partnership");
  var boxes = document.querySelectorAll("input[name='invited']");
  if (!data || !kind || !boxes.length) return;
  var defaults = JSON.parse(data.textContent);
  var touched = false;
  boxes.forEach(function (box) { box.addEventListener("change", function () { touched = true; }); });
  function apply() {
    if (touched) return;
    var byKind = defaults[partnership ? partnership.value : ""] || defaults[Object.keys(defaults)[0]] || {};
    var chosen = (byKind[kind.value] || []).map(String);
    boxes.forEach(function (box) { box.checked = chosen.indexOf(box.value) !== -1; });
  }
  kind.addEventListener("change", apply);
  if (partnership) partnership.addEventListener("change", apply);
})();
