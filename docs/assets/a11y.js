/* 无障碍 / 长者模式 — the assistive toolbar (overrides/partials/fs-a11y.html): 字号, 行距, 高对比度,
 * 大鼠标, 阅读辅助线, 朗读, 重置. It moves settings and classes only: what a setting looks like is
 * assets/a11y.css, every word is in the partial. The settings stay in this browser (localStorage,
 * key "fs-a11y"), never sent. Loaded in <head>, before the page paints, so that a reload shows the
 * reader's settings at once; the toolbar sits outside what Material's instant navigation swaps,
 * and <html> keeps its attributes, so the settings survive it without being applied again. */
(function () {
  "use strict";
  if (window.fsA11y) return;  /* instant navigation may re-add a <head> script */
  var KEY = "fs-a11y";
  var DEFAULTS = { font: "100", leading: "normal", contrast: false, cursor: false, guide: false,
                   open: false };
  var root = document.documentElement;
  var state = load();

  function load() {
    var s = Object.assign({}, DEFAULTS);
    try { Object.assign(s, JSON.parse(localStorage.getItem(KEY) || "{}")); } catch (e) { /* none */ }
    return s;
  }

  function save() {
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* private mode */ }
  }

  /* The settings as attributes and classes of <html>; a default writes nothing. */
  function apply() {
    ["font", "leading"].forEach(function (key) {
      if (state[key] === DEFAULTS[key]) root.removeAttribute("data-fs-" + key);
      else root.setAttribute("data-fs-" + key, state[key]);
    });
    ["contrast", "cursor", "guide"].forEach(function (key) {
      root.classList.toggle("fs-" + key, state[key] === true);
    });
    sync();
  }

  /* The toolbar shows the settings: each button pressed or not, the panel open or closed. */
  function sync() {
    var bar = document.querySelector("[data-fs-a11y]");
    if (!bar) return;
    bar.querySelectorAll("[data-fs-set]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(state[b.dataset.fsSet] === b.dataset.value));
    });
    bar.querySelectorAll("[data-fs-toggle]").forEach(function (b) {
      b.setAttribute("aria-pressed", String(state[b.dataset.fsToggle] === true));
    });
    bar.querySelector(".fs-a11y__toggle").setAttribute("aria-expanded", String(state.open));
    bar.querySelector(".fs-a11y__panel").hidden = !state.open;
  }

  function say(name) {
    var status = document.querySelector(".fs-a11y__status");
    if (status) status.textContent = name ? status.getAttribute("data-msg-" + name) : "";
  }

  /* 朗读: the selection, or the page's main text, by the browser's own speech with a Chinese
   * voice; without one, the toolbar says so. Sentences are queued one by one: some browsers
   * stop a long utterance part-way. */
  function chineseVoice() {
    var synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return null;
    return synth.getVoices().filter(function (v) { return /^zh/i.test(v.lang); })[0] || null;
  }

  function withVoices(then) {
    var synth = window.speechSynthesis;
    if (!synth || synth.getVoices().length) return then(chineseVoice());
    var done = false;
    function once() { if (!done) { done = true; then(chineseVoice()); } }
    synth.addEventListener("voiceschanged", once, { once: true });
    setTimeout(once, 1000);  /* a browser with no voices never says so */
  }

  function speak() {
    var selected = String(window.getSelection() || "").trim();
    var main = document.querySelector("article.md-content__inner");
    var text = selected || (main ? main.innerText.trim() : "");
    if (!text) return say("empty");
    withVoices(function (voice) {
      if (!voice) return say("novoice");
      var synth = window.speechSynthesis;
      var parts = text.split(/(?<=[。！？；\n])/).filter(function (p) { return p.trim(); });
      synth.cancel();
      parts.forEach(function (part, i) {
        var u = new SpeechSynthesisUtterance(part);
        u.voice = voice;
        u.lang = voice.lang;
        if (i === parts.length - 1) u.onend = function () { speaking(false); say("done"); };
        synth.speak(u);
      });
      speaking(true);
      say("speaking");
    });
  }

  function speaking(on) {
    var stop = document.querySelector("[data-fs-stop]");
    if (stop) stop.hidden = !on;
  }

  function stop(message) {
    if (window.speechSynthesis) window.speechSynthesis.cancel();
    speaking(false);
    say(message);
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-fs-a11y] button");
    if (!b) return;
    if (b.classList.contains("fs-a11y__toggle")) {
      state.open = !state.open;
      if (state.open) say("note");
    } else if (b.dataset.fsSet) {
      state[b.dataset.fsSet] = b.dataset.value;
    } else if (b.dataset.fsToggle) {
      state[b.dataset.fsToggle] = !state[b.dataset.fsToggle];
    } else if (b.hasAttribute("data-fs-reset")) {
      state = Object.assign({}, DEFAULTS, { open: state.open });
      stop("reset");
    } else if (b.hasAttribute("data-fs-speak")) {
      return speak();
    } else if (b.hasAttribute("data-fs-stop")) {
      return stop("stopped");
    }
    save();
    apply();
  });

  /* 阅读辅助线: a band that follows the pointer (its place is a CSS property, set through the
   * CSSOM, which the site's CSP allows). */
  document.addEventListener("pointermove", function (e) {
    if (state.guide) root.style.setProperty("--fs-guide-y", e.clientY + "px");
  }, { passive: true });

  /* Another tab changed the settings: follow it. */
  window.addEventListener("storage", function (e) {
    if (e.key === KEY) { state = load(); apply(); }
  });

  apply();
  document.addEventListener("DOMContentLoaded", sync);
  window.fsA11y = { settings: function () { return Object.assign({}, state); } };
})();
