// parsurvey questionnaire page: keeps answers in this browser as they are given, so a reload or a
// dropped connection loses nothing, and counts progress. The page works without it.
(function () {
  "use strict";
  var body = document.body;
  var clear = body.getAttribute("data-clear");
  if (clear) {
    try { localStorage.removeItem("parsurvey:" + clear); } catch (e) {}
    return;
  }
  var token = body.getAttribute("data-token");
  var form = document.querySelector("form.survey");
  if (!token || !form) return;
  var key = "parsurvey:" + token;
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }

  // Keep one submission id per form on this device: a resend after a dropped connection is then
  // recognised by the server as the same submission.
  var sid = form.querySelector("input[name=sid]");
  if (saved.__sid) { sid.value = saved.__sid; } else { saved.__sid = sid.value; }

  var hasServerValues = form.querySelector("input[type=radio]:checked") !== null;
  if (!hasServerValues) {
    Object.keys(saved).forEach(function (name) {
      if (name === "__sid") return;
      var input = form.querySelector('input[name="' + name + '"][value="' + saved[name] + '"]');
      if (input) input.checked = true;
    });
  }

  var groups = {};
  Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]"), function (el) {
    if (el.name.indexOf("q_") === 0) groups[el.name] = true;
  });
  var total = Object.keys(groups).length;
  var progress = document.getElementById("tien-do");

  function update() {
    var done = 0;
    Object.keys(groups).forEach(function (name) {
      if (form.querySelector('input[name="' + name + '"]:checked')) done++;
    });
    if (progress) progress.textContent = "Đã trả lời " + done + "/" + total + " câu";
  }

  function store() {
    try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) {}
  }

  form.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t && t.name && t.type === "radio") {
      saved[t.name] = t.value;
      store();
      update();
    }
  });
  store();
  update();
  var summary = document.getElementById("loi");
  if (summary) summary.focus();
})();
