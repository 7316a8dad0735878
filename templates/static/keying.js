// parsurvey keying screen: every answer is one keystroke and the cursor moves on by itself, so a
// paper form is keyed without the mouse. The code is checked as soon as it is typed and the form
// is saved with Enter, both without leaving the page. Without this script the page is a plain
// HTML form that does the same in two posts. An item of more than 9 options takes two digits
// ("03", "12"; one digit that no option number starts with goes on at once); a question that an
// earlier key does not ask (data-after, data-when) is passed over; an open question keyed 1
// moves to its text box where the campaign keys texts, and Enter there goes on.
(function () {
  "use strict";
  var form = document.getElementById("keying");
  if (!form || !window.fetch || !window.URLSearchParams) return;
  var code = form.elements.code;
  var codeMsg = document.getElementById("code-msg");
  var codeWarn = document.getElementById("code-warn");
  var status = document.getElementById("k-status");
  var progress = document.getElementById("k-progress");
  var saveButton = document.getElementById("k-save");
  var keys = Array.prototype.slice.call(form.querySelectorAll("input.k-key"));
  var codeOK = !!code.value && codeMsg.classList.contains("k-ok");
  var started = codeOK ? Date.now() : 0;
  var busy = false;
  var blankKeys = "0 ";
  var multiKeys = "*xX+";

  function say(el, text, kind) {
    el.textContent = text || "";
    el.classList.remove("k-ok", "k-bad", "k-warn");
    if (kind) el.classList.add("k-" + kind);
  }

  function warnings(list) {
    codeWarn.textContent = "";
    (list || []).forEach(function (w) {
      var p = document.createElement("p");
      p.className = "k-warn-line";
      p.textContent = w;
      codeWarn.appendChild(p);
    });
  }

  function item(el) { return el.closest(".k-item"); }

  // mark shows which option the keyed value picks, next to the question.
  function mark(el) {
    var row = item(el);
    Array.prototype.forEach.call(row.querySelectorAll(".k-opts span"), function (s) {
      s.classList.toggle("k-chosen", s.getAttribute("data-v") === el.value);
    });
    row.classList.toggle("k-blank", el.value === "0");
    row.classList.toggle("k-multi", el.value === "*");
    row.classList.remove("has-error");
  }

  function filled() {
    return keys.filter(function (k) { return k.value !== ""; }).length;
  }

  // showProgress counts the items to key: those a skip rule or the form's units set aside are
  // not among them.
  function showProgress(i) {
    var open = keys.filter(function (k) { return !k.disabled; });
    var at = i >= 0 ? "Mục " + (open.indexOf(keys[i]) + 1) + "/" + open.length + " · " : "";
    progress.textContent = at + "đã nhập " + filled() + "/" + open.length;
  }

  // asked reports whether item el is asked, given the key of the earlier item it depends on.
  function asked(el) {
    var row = item(el);
    var after = row.getAttribute("data-after");
    if (!after) return true;
    var prev = form.elements[after];
    if (!prev || !asked(prev)) return false;
    return (" " + row.getAttribute("data-when") + " ").indexOf(" " + String(parseInt(prev.value, 10)) + " ") >= 0;
  }
  // rated is the unit codes of a matrix form issued for a list of units (the check's answer),
  // or null when the form rates every unit on the screen.
  var rated = null;
  function rates(el) {
    var unit = item(el).getAttribute("data-unit");
    return !rated || !unit || rated.indexOf(unit) >= 0;
  }
  // skips marks the items that are not asked (a skip rule, or a unit the form does not rate);
  // their keys are cleared and not posted.
  function skips() {
    keys.forEach(function (el) {
      var off = !asked(el) || !rates(el);
      item(el).classList.toggle("k-unrated", !rates(el));
      item(el).classList.toggle("k-skipped", off);
      if (off && el.value) { el.value = ""; mark(el); }
      el.disabled = off;
    });
  }

  function go(i, back) {
    while (i >= 0 && i < keys.length && keys[i].disabled) i += back ? -1 : 1;
    if (i < 0) { code.focus(); code.select(); return; }
    if (i >= keys.length) { saveButton.focus(); showProgress(-1); return; }
    keys[i].focus();
  }

  // take applies one typed key to item i: an option number, a blank or several marks. It returns
  // false for a key that is not an answer.
  function take(el, i, k) {
    var max = parseInt(el.getAttribute("data-options"), 10) || 0;
    if (k.length !== 1) return false;
    if (max > 9 && k >= "0" && k <= "9") return takeTwo(el, i, k, max);
    if (k >= "1" && k <= "9") {
      if (parseInt(k, 10) > max) {
        say(status, "Mục này chỉ có " + max + " phương án (1–" + max + "); bỏ trống nhập 0, nhiều phương án nhập *.", "bad");
        el.value = "";
        mark(el);
        return true;
      }
      el.value = k;
    } else if (blankKeys.indexOf(k) >= 0) {
      el.value = "0";
    } else if (multiKeys.indexOf(k) >= 0) {
      el.value = "*";
    } else {
      return false;
    }
    done(el, i);
    return true;
  }

  // done moves on from an item just keyed: to its text box when it is an open question keyed 1
  // and texts are keyed, else to the next item asked.
  function done(el, i) {
    delete el.dataset.wait;
    mark(el);
    skips();
    if (status.classList.contains("k-bad")) say(status, "", null);
    var text = form.elements["t_" + el.name];
    if (text && el.value === "1") { text.focus(); return; }
    go(i + 1);
  }

  // takeTwo keys an item of more than 9 options: two digits, or one that starts no option number.
  function takeTwo(el, i, k, max) {
    var v = el.dataset.wait ? el.value + k : k;
    var n = parseInt(v, 10);
    if (v.length === 1 && (n === 0 || n * 10 <= max)) {
      el.value = k;
      el.dataset.wait = "1";
      mark(el);
      return true;
    }
    if (v === "00") { el.value = "0"; done(el, i); return true; }
    if (n < 1 || n > max) {
      say(status, "Mục này có " + max + " phương án (01–" + max + "); bỏ trống nhập 0, nhiều phương án nhập *.", "bad");
      el.value = "";
      delete el.dataset.wait;
      mark(el);
      return true;
    }
    el.value = String(n);
    done(el, i);
    return true;
  }

  // swallow is set while a key handled on keydown may still arrive as a character (on the item
  // the cursor has just moved to), so that it is not typed twice.
  var swallow = false;

  keys.forEach(function (el, i) {
    el.addEventListener("focus", function () {
      // The current question stays in the middle of the screen as the cursor moves down.
      item(el).scrollIntoView({ block: "center" });
      el.select();
      showProgress(i);
    });
    el.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.isComposing) return;
      var k = ev.key;
      if (k === "Backspace") {
        ev.preventDefault();
        if (el.value !== "") { el.value = ""; mark(el); showProgress(i); return; }
        var p = i - 1;
        while (p >= 0 && keys[p].disabled) p--;
        if (p >= 0) { keys[p].value = ""; mark(keys[p]); skips(); }
        go(p, true);
      } else if (k === "ArrowUp" || k === "ArrowLeft") {
        ev.preventDefault(); go(i - 1, true);
      } else if (k === "ArrowDown" || k === "ArrowRight" || (k === "Tab" && el.dataset.wait)) {
        ev.preventDefault(); if (el.dataset.wait) { done(el, i); } else { go(i + 1); }
      } else if (k === "Enter") {
        ev.preventDefault(); save();
      } else if (k.length === 1) {
        ev.preventDefault();
        swallow = true;
        take(el, i, k);
      }
    });
    el.addEventListener("keypress", function (ev) {
      if (swallow) { ev.preventDefault(); swallow = false; }
    });
    el.addEventListener("beforeinput", function (ev) {
      if (swallow && ev.inputType === "insertText") { ev.preventDefault(); swallow = false; }
    });
    el.addEventListener("keyup", function () { swallow = false; });
    // Keyboards that give no key on keydown (phones, input methods) still type a character.
    el.addEventListener("input", function () {
      var k = el.value.slice(-1);
      el.value = el.dataset.wait ? el.value.slice(0, 1) : "";
      if (!take(el, i, k)) mark(el);
    });
  });

  // An open question's text box: Enter goes on to the next item, Shift+Enter is a new line.
  Array.prototype.forEach.call(form.querySelectorAll("textarea.k-text-in"), function (t) {
    // The key 1 that moved the cursor here is not typed into the box, nor is the Enter that
    // moves it on.
    t.addEventListener("keypress", function (ev) {
      if (swallow || t.dataset.enter) { ev.preventDefault(); swallow = false; }
    });
    t.addEventListener("beforeinput", function (ev) {
      if (t.dataset.enter && (ev.inputType === "insertLineBreak" || ev.inputType === "insertParagraph")) { ev.preventDefault(); return; }
      if (swallow && ev.inputType === "insertText") { ev.preventDefault(); swallow = false; }
    });
    // Enter moves on when it is released, not when pressed: moved on at keydown, the cursor
    // could be on the save button when the key's character arrives, and save the form.
    t.addEventListener("keydown", function (ev) {
      if (ev.key !== "Enter" || ev.shiftKey) return;
      ev.preventDefault();
      t.dataset.enter = "1";
    });
    t.addEventListener("keyup", function (ev) {
      swallow = false;
      if (ev.key !== "Enter" || !t.dataset.enter) return;
      delete t.dataset.enter;
      var key = form.elements[t.name.slice(2)];
      go(keys.indexOf(key) + 1);
    });
  });
  skips();

  function check() {
    var value = code.value.trim();
    if (!value) { say(codeMsg, "Chưa nhập mã phiếu", "bad"); return Promise.resolve(false); }
    return fetch(form.getAttribute("data-check") + "?code=" + encodeURIComponent(value), {
      headers: { Accept: "application/json" }, credentials: "same-origin"
    }).then(function (r) { return r.json(); }).then(function (res) {
      codeOK = !!res.ok;
      rated = res.ok && res.units && res.units.length ? res.units : null;
      skips();
      if (res.code) code.value = res.code;
      say(codeMsg, res.message, res.ok ? "ok" : "bad");
      warnings(res.warnings);
      if (res.ok) { started = Date.now(); } else { code.focus(); code.select(); }
      return codeOK;
    }).catch(function () {
      say(codeMsg, "Không kết nối được máy chủ. Kiểm tra mạng rồi nhấn Enter lại.", "bad");
      return false;
    });
  }

  code.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    ev.preventDefault();
    check().then(function (ok) { if (ok) go(0); });
  });
  code.addEventListener("input", function () { codeOK = false; rated = null; skips(); say(codeMsg, "", null); warnings([]); });
  code.addEventListener("change", function () { if (code.value.trim()) check(); });

  function reset() {
    keys.forEach(function (k) { k.value = ""; delete k.dataset.wait; mark(k); });
    Array.prototype.forEach.call(form.querySelectorAll("textarea.k-text-in"), function (t) { t.value = ""; });
    rated = null;
    skips();
    code.value = "";
    codeOK = false;
    started = 0;
    say(codeMsg, "", null);
    warnings([]);
    window.scrollTo(0, 0);
    go(-1);
    showProgress(-1);
  }

  function save() {
    if (busy) return;
    if (!codeOK) {
      check().then(function (ok) { if (ok) save(); });
      return;
    }
    var empty = keys.filter(function (k) { return k.value === "" && !k.disabled; });
    if (empty.length) {
      say(status, "Còn " + empty.length + " mục chưa nhập. Mục bỏ trống trên phiếu thì nhập 0.", "bad");
      empty[0].focus();
      return;
    }
    form.elements.duration_ms.value = started ? String(Date.now() - started) : "";
    busy = true;
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(new FormData(form)).toString()
    }).then(function (r) { return r.json(); }).then(function (res) {
      busy = false;
      if (res.ok) {
        var warn = res.kind === "differs" || res.kind === "conflict" || res.kind === "invalid";
        say(status, res.message, warn ? "warn" : "ok");
        var mine = document.getElementById("k-mine");
        if (mine) mine.textContent = String((parseInt(mine.textContent.replace(/\D/g, ""), 10) || 0) + 1);
        reset();
        return;
      }
      say(status, res.message, "bad");
      (res.errors || []).forEach(function (p) {
        var el = form.elements[p.Name];
        if (el) item(el).classList.add("has-error");
      });
      if (res.field === "code" || !res.field) {
        codeOK = false;
        say(codeMsg, res.message, "bad");
        go(-1);
      } else if (form.elements[res.field]) {
        form.elements[res.field].focus();
      }
    }).catch(function () {
      busy = false;
      say(status, "Không lưu được: mất kết nối tới máy chủ. Phiếu chưa được lưu; nhấn Enter để thử lại.", "bad");
    });
  }

  form.addEventListener("submit", function (ev) { ev.preventDefault(); save(); });
  keys.forEach(function (k) { if (k.value) mark(k); });
  showProgress(-1);
})();
