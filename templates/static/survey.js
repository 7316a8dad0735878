// parsurvey questionnaire page. The page works without this script; with it:
//  - answers are kept in this browser as they are given (localStorage) and saved to the form's
//    draft on the server (POST /p/<token>/draft), so the same link continues on another device;
//  - a submission that fails for lack of network is kept and sent again, with the same
//    submission id, when the connection returns: the server stores it once;
//  - a matrix form on a phone shows one unit per step, with a list to jump between units; each
//    unit's "not enough information" box marks every question about it don't-know;
//  - a question asked only after a given answer to an earlier one (data-after, data-when)
//    shows and hides as that answer changes; an open question counts the characters left.
// Written in ES5 for the older WebViews of in-app browsers (Zalo, Facebook) on Android.
(function () {
  "use strict";

  var T = {
    answered: "Đã trả lời %1/%2 câu",
    answeredUnits: "Đã trả lời %1/%2 câu · xong %3/%4 đơn vị",
    unitOf: "Đơn vị %1/%2 · đã xong %3/%2",
    startOf: "Phiếu gồm %1 đơn vị · đã xong %2/%1",
    reviewOf: "Xem lại · đã xong %1/%2 đơn vị",
    stDone: "Đã trả lời đủ",
    stSkip: "Không đủ thông tin",
    stSome: "%1/%2 câu",
    stNone: "Chưa trả lời",
    next: "Đơn vị tiếp theo →",
    review: "Xem lại và gửi phiếu →",
    saving: "Đang lưu tạm…",
    saved: "Đã lưu tạm lúc %1. Có thể mở lại đường dẫn này trên máy khác để làm tiếp.",
    localOnly: "Chưa lưu được lên máy chủ vì mất kết nối. Các câu trả lời vẫn được giữ trên máy này và sẽ được lưu khi có mạng.",
    merged: "Phiếu vừa được cập nhật từ một thiết bị khác; các câu trả lời đã được gộp lại.",
    offline: "Mất kết nối mạng. Các câu trả lời vẫn được giữ trên máy này.",
    sending: "Đang gửi phiếu…",
    notSent: "Chưa gửi được phiếu vì mất kết nối mạng. Phiếu được giữ trên máy này và sẽ tự gửi lại khi có mạng; Ông/Bà không cần nhập lại.",
    resending: "Đang gửi lại phiếu chưa gửi được lần trước…",
    left: "Còn %1 ký tự",
    over: "Vượt quá %1 ký tự: vui lòng rút gọn"
  };

  // thousands writes n as Vietnamese does, 1.000 for a thousand.
  function thousands(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function fmt(s) {
    var args = arguments;
    return s.replace(/%(\d)/g, function (m, i) { return String(args[+i]); });
  }

  var storage = (function () {
    try {
      var k = "parsurvey:probe";
      window.localStorage.setItem(k, "1");
      window.localStorage.removeItem(k);
      return window.localStorage;
    } catch (e) {
      return null; // private mode or an in-app browser without storage: the server draft remains
    }
  })();

  function load(key) {
    if (!storage) return {};
    try { return JSON.parse(storage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
  }

  function keep(key, st) {
    if (!storage) return;
    try { storage.setItem(key, JSON.stringify(st)); } catch (e) {}
  }

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  function encode(values) {
    var out = [];
    Object.keys(values).forEach(function (k) {
      out.push(encodeURIComponent(k) + "=" + encodeURIComponent(values[k]));
    });
    return out.join("&");
  }

  // request posts a urlencoded body; done gets the status (0 when the network failed) and the
  // body, parsed when JSON was asked for.
  function request(url, body, timeout, json, done) {
    var r = new XMLHttpRequest();
    r.open("POST", url, true);
    r.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
    if (json) r.setRequestHeader("Accept", "application/json");
    r.timeout = timeout;
    r.onload = function () {
      var data = r.responseText;
      if (json) { try { data = JSON.parse(data); } catch (e) { data = null; } }
      done(r.status, data);
    };
    r.onerror = r.ontimeout = function () { done(0, null); };
    r.send(body);
  }

  // What outlives one init: a page replaced by the answer to a submission starts again, so the
  // window's and document's listeners call whatever the current page set, and its timers stop.
  var timers = [];
  var onOnline = null, onHidden = null, media = null;
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && onHidden) onHidden();
  });
  window.addEventListener("online", function () {
    var net = document.getElementById("mang");
    if (net && net.getAttribute("data-kind") === "offline") net.hidden = true;
    if (onOnline) onOnline();
  });
  window.addEventListener("offline", function () {
    var net = document.getElementById("mang");
    if (net && !net.textContent) { net.textContent = T.offline; net.setAttribute("data-kind", "offline"); net.hidden = false; }
  });

  function later(fn, ms) { var t = setTimeout(fn, ms); timers.push(t); return t; }

  function init() {
    timers.forEach(clearTimeout);
    timers = [];
    onOnline = onHidden = null;
    if (media && media.mq.removeListener) media.mq.removeListener(media.fn);
    media = null;
    var body = document.body;
    var clear = body.getAttribute("data-clear");
    if (clear) {
      if (storage) { try { storage.removeItem("parsurvey:" + clear); } catch (e) {} }
      return;
    }
    var token = body.getAttribute("data-token");
    var form = document.querySelector("form.survey");
    if (token && form) survey(body, token, form);
  }

  function survey(body, token, form) {
    var key = "parsurvey:" + token;
    var st = load(key);
    if (st.__sid !== undefined) st = migrate(st);
    st.v = st.v || {};
    st.d = st.d || {};
    var rev = +form.getAttribute("data-rev") || 0;
    var sidInput = form.querySelector("input[name=sid]");
    // One submission id per form: the draft's when the page came from it, else this device's.
    if (rev > 0 || !st.sid) st.sid = sidInput.value; else sidInput.value = st.sid;
    var hasErrors = !!document.getElementById("loi");
    var net = document.getElementById("mang");
    var saveState = document.getElementById("luu");
    each(form.querySelectorAll(".save-draft"), function (b) { b.hidden = true; });

    function inputs(name) { return form.querySelectorAll('input[name="' + name + '"], textarea[name="' + name + '"]'); }
    function state() {
      var v = {};
      each(form.querySelectorAll("input[type=radio]:checked, input[type=checkbox]:checked"), function (el) { v[el.name] = el.value; });
      each(form.querySelectorAll("textarea"), function (el) { if (el.value) v[el.name] = el.value; });
      return v;
    }
    function set(name, value) {
      each(inputs(name), function (el) {
        if (el.tagName === "TEXTAREA") { el.value = value === undefined ? "" : value; count(el); return; }
        el.checked = value !== undefined && el.value === value;
      });
      decorate(name);
      shown();
    }
    // count tells how many characters an open answer has left, as the server counts them.
    function count(el) {
      var out = document.getElementById(el.getAttribute("aria-describedby"));
      var max = +el.getAttribute("data-max");
      if (!out || !max) return;
      var v = el.value.normalize ? el.value.normalize("NFC") : el.value;
      var n = max - v.replace(/^\s+|\s+$/g, "").replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, "_").length;
      out.textContent = n >= 0 ? fmt(T.left, thousands(n)) : fmt(T.over, thousands(-n));
      out.classList.toggle("over", n < 0);
    }
    // shown hides each question whose earlier question is hidden or not answered with one of
    // the options that ask it; the server ignores whatever a hidden question holds.
    function shown() {
      each(form.querySelectorAll("[data-after]"), function (q) {
        var name = q.getAttribute("data-after");
        var after = document.getElementById(name);
        var picked = form.querySelector('input[name="' + name + '"]:checked');
        q.hidden = !(picked && !(after && after.hidden) &&
          (" " + q.getAttribute("data-when") + " ").indexOf(" " + picked.value + " ") >= 0);
      });
    }
    function decorate(name) {
      each(inputs(name), function (el) {
        if (el.tagName === "TEXTAREA") return;
        var label = el.parentNode;
        if (label && label.classList) label.classList.toggle("on", el.checked);
      });
    }
    var gen = 0, sending = false;
    function dirty(name) { st.d[name] = 1; gen++; }

    // What the server already holds wins, but for this device's changes it has not seen yet; a
    // page that knows no draft takes everything this device kept.
    var server = state();
    var fresh = rev === 0 && !hasErrors && Object.keys(server).length === 0;
    Object.keys(fresh ? st.v : st.d).forEach(function (name) {
      if (inputs(name).length) {
        set(name, st.v[name]);
        if (fresh) st.d[name] = 1;
      }
    });
    st.v = state();
    each(form.querySelectorAll("input[type=radio]:checked, input[type=checkbox]:checked"), function (el) { decorate(el.name); });
    each(form.querySelectorAll("textarea"), count);
    shown();

    var mx = matrix(form, st, set, dirty);

    function update() {
      var progress = document.getElementById("tien-do");
      if (!progress) return;
      if (mx) { progress.textContent = mx.progress(); return; }
      var groups = {}, done = 0;
      each(form.querySelectorAll("input[type=radio]"), function (el) {
        var q = document.getElementById(el.name);
        if (el.name.indexOf("q_") === 0 && !(q && q.hidden)) groups[el.name] = groups[el.name] || el.checked;
      });
      var names = Object.keys(groups);
      names.forEach(function (n) { if (groups[n]) done++; });
      progress.textContent = fmt(T.answered, done, names.length);
    }

    // Saving the draft: the whole form, from the revision last seen, a moment after the last
    // change; one request at a time, again later when the network fails.
    var draftURL = form.getAttribute("data-draft");
    var saveTimer = null, inflight = false, again = false, backoff = 0;
    function schedule(ms) {
      clearTimeout(saveTimer);
      saveTimer = later(save, ms);
    }
    function save() {
      if (inflight) { again = true; return; }
      if (!Object.keys(st.d).length || sending) return;
      inflight = true;
      var sent = gen;
      saveState.textContent = T.saving;
      request(draftURL, encode(state()) + "&sid=" + encodeURIComponent(st.sid) + "&_rev=" + rev, 20000, true, function (status, r) {
        inflight = false;
        if (status === 200 && r) {
          rev = r.rev;
          if (gen === sent) st.d = {};
          backoff = 0;
          saveState.textContent = fmt(T.saved, r.saved);
        } else if (status === 409 && r && r.values) {
          merge(r);
          again = true;
        } else if (status === 410 || status === 404 || status === 403) {
          window.location.reload(); // answered, voided or closed meanwhile: the page says which
          return;
        } else {
          // No network, or the server refused for now (429, 5xx): keep trying, less often.
          backoff = Math.min(60000, backoff ? backoff * 2 : 5000);
          saveState.textContent = T.localOnly;
          onOnline = function () { schedule(500); };
          schedule(backoff);
        }
        keep(key, st);
        if (again) { again = false; schedule(300); }
      });
    }
    function merge(r) {
      var names = {};
      Object.keys(r.values).concat(Object.keys(st.v)).forEach(function (n) { names[n] = 1; });
      Object.keys(names).forEach(function (n) {
        if (!st.d[n]) set(n, r.values[n]);
      });
      rev = r.rev;
      if (r.sid) { st.sid = r.sid; sidInput.value = r.sid; }
      st.v = state();
      if (mx) mx.refresh();
      update();
      saveState.textContent = T.merged;
    }

    form.addEventListener("change", function (ev) {
      var t = ev.target;
      if (!t || !t.name || (t.type !== "radio" && t.type !== "checkbox")) return;
      dirty(t.name);
      decorate(t.name);
      if (mx) mx.changed(t);
      shown();
      st.v = state();
      keep(key, st);
      update();
      schedule(1500);
    });
    form.addEventListener("input", function (ev) {
      var t = ev.target;
      if (!t || !t.name || t.tagName !== "TEXTAREA") return;
      dirty(t.name);
      count(t);
      st.v = state();
      keep(key, st);
      schedule(2000);
    });
    // Leaving the page (another app, the phone locked) saves at once.
    onHidden = function () { if (Object.keys(st.d).length) save(); };

    // Submitting: posted by the script so that a dropped connection leaves the page as it is,
    // the answers kept, and the same submission sent again when the network returns.
    var submitButton = form.querySelector(".submit button[type=submit]:not(.save-draft)");
    function submit(retry) {
      if (sending) return;
      sending = true;
      clearTimeout(saveTimer);
      st.p = 1;
      keep(key, st);
      if (submitButton) submitButton.disabled = true;
      saveState.textContent = retry ? T.resending : T.sending;
      request(form.getAttribute("action"), encode(state()) + "&sid=" + encodeURIComponent(st.sid), 60000, false, function (status, html) {
        sending = false;
        if (submitButton) submitButton.disabled = false;
        if (status === 0) {
          net.textContent = T.notSent;
          net.setAttribute("data-kind", "send");
          net.hidden = false;
          saveState.textContent = "";
          backoff = Math.min(60000, backoff ? backoff * 2 : 5000);
          onOnline = function () { submit(true); };
          later(function () { submit(true); }, backoff);
          return;
        }
        st.p = 0;
        keep(key, st);
        replace(html);
      });
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      submit(false);
    });

    update();
    keep(key, st);
    var summary = document.getElementById("loi");
    if (summary) summary.focus();
    if (st.p && !hasErrors) {
      submit(true); // a submission that did not get through last time
    } else if (Object.keys(st.d).length) {
      schedule(500);
    }
  }

  // migrate reads what the first version of this script kept: the answers and __sid.
  function migrate(old) {
    var st = { sid: old.__sid, v: {}, d: {} };
    Object.keys(old).forEach(function (k) {
      if (k !== "__sid") { st.v[k] = old[k]; st.d[k] = 1; }
    });
    return st;
  }

  // replace shows the server's answer to a submission (the receipt, or the form again with
  // what to correct) in place of the page, and starts again on it.
  function replace(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var body = document.body;
    document.title = doc.title;
    while (body.attributes.length) body.removeAttribute(body.attributes[0].name);
    each(doc.body.attributes, function (a) { body.setAttribute(a.name, a.value); });
    body.innerHTML = doc.body.innerHTML;
    window.scrollTo(0, 0);
    init();
  }

  // matrix drives a matrix form's grid: the skip boxes everywhere, and on a phone the steps.
  function matrix(form, st, set, dirty) {
    var table = document.getElementById("mx");
    if (!table) return null;
    var body = document.body;
    var heads = Array.prototype.slice.call(table.tHead.rows[0].cells, 1);
    var n = heads.length;
    var rows = [];
    each(table.tBodies, function (tb) {
      each(tb.rows, function (tr) { if (tr.id) rows.push(tr); });
    });
    function cell(row, k) { return row.cells[k + 1]; }
    function box(k) { return heads[k].querySelector("input[type=checkbox]"); }
    function unitOf(el) {
      while (el && el.tagName !== "TD" && el.tagName !== "TH") el = el.parentNode;
      if (!el) return -1;
      return el.cellIndex - 1;
    }
    function answered(k) {
      var a = 0;
      rows.forEach(function (r) { if (cell(r, k).querySelector("input:checked")) a++; });
      return a;
    }
    function status(k) {
      var b = box(k);
      if (b && b.checked) return { cls: "st-skip", text: T.stSkip, done: true };
      var a = answered(k);
      if (a === rows.length) return { cls: "st-done", text: T.stDone, done: true };
      if (a === 0) return { cls: "", text: T.stNone, done: false };
      return { cls: "st-some", text: fmt(T.stSome, a, rows.length), done: false };
    }
    function doneCount() {
      var d = 0;
      for (var k = 0; k < n; k++) if (status(k).done) d++;
      return d;
    }
    var stash = {};
    // skip marks unit k don't-know (or gives back what it had when the box is cleared again).
    function skip(k, on) {
      if (on) stash[k] = {};
      rows.forEach(function (r) {
        var radios = cell(r, k).querySelectorAll("input[type=radio]");
        if (!radios.length) return;
        var name = radios[0].name;
        var dk = cell(r, k).querySelector(".dk input");
        var cur = cell(r, k).querySelector("input:checked");
        if (on) {
          if (cur && cur !== dk) stash[k][name] = cur.value;
          set(name, dk ? dk.value : undefined);
        } else {
          set(name, (stash[k] || {})[name]);
        }
        dirty(name);
      });
      heads[k].querySelector(".mx-skip").classList.toggle("on", on);
      rows.forEach(function (r) { cell(r, k).classList.toggle("sk", on); });
    }
    for (var k = 0; k < n; k++) {
      if (box(k) && box(k).checked) {
        heads[k].querySelector(".mx-skip").classList.add("on");
        rows.forEach(function (r) { cell(r, k).classList.add("sk"); });
      }
    }

    // Steps: -1 the respondent's details, 0 … n-1 the units, n the review before sending.
    var mq = window.matchMedia ? window.matchMedia("(max-width: 899px)") : { matches: false };
    var bar = document.getElementById("mx-bar");
    var nav = document.getElementById("mx-nav");
    var start = document.getElementById("mx-start");
    var review = document.getElementById("mx-review");
    var skipped = document.getElementById("mx-skipped");
    var title = document.getElementById("mx-title");
    var next = document.getElementById("mx-next");
    var steps = false;
    var cur = -2;

    function show(k, focus) {
      k = Math.max(-1, Math.min(n, k));
      if (cur >= 0 && cur < n) {
        heads[cur].classList.remove("cur");
        rows.forEach(function (r) { cell(r, cur).classList.remove("cur"); });
      }
      cur = k;
      st.step = k;
      var unit = k >= 0 && k < n;
      body.setAttribute("data-view", k < 0 ? "start" : unit ? "unit" : "review");
      bar.hidden = nav.hidden = !unit;
      start.hidden = k !== -1;
      review.hidden = k !== n;
      if (unit) {
        heads[k].classList.add("cur");
        rows.forEach(function (r) { cell(r, k).classList.add("cur"); });
        title.textContent = heads[k].querySelector(".mx-uname").textContent;
        next.textContent = k === n - 1 ? T.review : T.next;
      }
      refreshList();
      refreshStep();
      window.scrollTo(0, 0);
      if (focus) {
        var target = unit ? title : k === n ? document.getElementById("xl") : null;
        if (target) target.focus();
      }
      var jump = bar.querySelector("details");
      if (jump) jump.open = false;
    }
    function refreshStep() {
      var unit = cur >= 0 && cur < n;
      var isSkipped = unit && box(cur) && box(cur).checked;
      table.classList.toggle("skipped", !!isSkipped);
      skipped.hidden = !isSkipped;
      var progress = document.getElementById("tien-do");
      if (progress) progress.textContent = mxProgress();
    }
    function refreshList() {
      for (var k = 0; k < n; k++) refreshUnit(k);
    }
    function refreshUnit(k) {
      var s = status(k);
      each(form.querySelectorAll('.mx-to[data-step="' + k + '"]'), function (b) {
        b.className = "mx-to" + (s.cls ? " " + s.cls : "") + (k === cur ? " cur" : "");
        b.querySelector(".mx-st").textContent = s.text;
      });
    }
    function mxProgress() {
      var d = doneCount();
      if (!steps) {
        var total = 0, a = 0;
        for (var k = 0; k < n; k++) { a += answered(k); total += rows.length; }
        return fmt(T.answeredUnits, a, total, d, n);
      }
      if (cur < 0) return fmt(T.startOf, n, d);
      if (cur >= n) return fmt(T.reviewOf, d, n);
      return fmt(T.unitOf, cur + 1, n, d);
    }
    function layout() {
      var want = !!mq.matches;
      if (want === steps && cur !== -2) return;
      steps = want;
      body.classList.toggle("mx-steps", steps);
      if (!steps) {
        body.removeAttribute("data-view");
        bar.hidden = nav.hidden = start.hidden = review.hidden = skipped.hidden = true;
        table.classList.remove("skipped");
        if (cur === -2) cur = -1;
        return;
      }
      show(firstStep(), false);
    }
    function firstStep() {
      var err = document.querySelector("#loi a");
      if (err) {
        var target = document.getElementById(err.getAttribute("href").slice(1));
        var k = target ? unitOf(target) : -1;
        return target && table.contains(target) ? k : -1;
      }
      if (typeof st.step === "number" && cur === -2 && st.step >= -1) return st.step;
      var any = false;
      for (var u = 0; u < n; u++) {
        if (answered(u) || (box(u) && box(u).checked)) any = true;
      }
      if (!any) return -1;
      for (var v = 0; v < n; v++) if (!status(v).done) return v;
      return n;
    }

    form.addEventListener("click", function (ev) {
      var t = ev.target;
      while (t && t !== form && !(t.getAttribute && (t.getAttribute("data-go") || t.getAttribute("data-step")))) t = t.parentNode;
      if (!t || t === form) return;
      if (t.getAttribute("data-go")) show(cur + (+t.getAttribute("data-go")), true);
      else show(+t.getAttribute("data-step"), true);
    });
    var summary = document.getElementById("loi");
    if (summary) {
      summary.addEventListener("click", function (ev) {
        var a = ev.target;
        if (!a || a.tagName !== "A" || !steps) return;
        var target = document.getElementById(a.getAttribute("href").slice(1));
        if (!target) return;
        ev.preventDefault();
        show(table.contains(target) ? unitOf(target) : -1, false);
        target.scrollIntoView();
      });
    }
    if (mq.addListener) {
      mq.addListener(layout);
      media = { mq: mq, fn: layout };
    }
    layout();
    refreshList();

    return {
      progress: mxProgress,
      refresh: function () {
        for (var k = 0; k < n; k++) {
          var on = !!(box(k) && box(k).checked);
          heads[k].querySelector(".mx-skip") && heads[k].querySelector(".mx-skip").classList.toggle("on", on);
          rows.forEach(function (r) { cell(r, k).classList.toggle("sk", on); });
        }
        refreshList();
        refreshStep();
      },
      // changed follows one answer: a box marks or unmarks its unit; an answer other than
      // don't-know in a unit marked as unknown clears its box.
      changed: function (t) {
        var k = unitOf(t);
        if (k < 0 || k >= n) return;
        if (t.type === "checkbox") {
          skip(k, t.checked);
        } else if (box(k) && box(k).checked && !(t.parentNode.classList && t.parentNode.classList.contains("dk"))) {
          box(k).checked = false;
          dirty(box(k).name);
          heads[k].querySelector(".mx-skip").classList.remove("on");
          rows.forEach(function (r) { cell(r, k).classList.remove("sk"); });
        }
        refreshUnit(k);
        refreshStep();
      }
    };
  }

  init();
})();
