/* Offline after one visit: registers the site's service worker (sw.js, written by the build:
 * scripts/sitebuild/offline.py), asks it to keep the calculators' engine once a calculator page
 * has been opened, and shows the update notice it sends once per new build (its words come
 * with the message, from the build). Plain script, no dependencies; nothing here reads a page.
 *
 * On a calculator page it registers only once the engine is ready (or has failed), so that the
 * worker's own downloads do not compete with the engine's on a reader's first visit. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript && document.currentScript.src;
  if (!script) return;
  var worker = new URL("../sw.js", script).href; /* this file is assets/offline.js */
  var registered = null; /* the registration's promise, once asked for */
  var state = document.documentElement.dataset; /* data-fs-offline: for the tests */

  function ask(what) {
    navigator.serviceWorker.ready.then(function (reg) { reg.active.postMessage({ type: "keep", what: what }); });
  }
  window.fsOffline = { keep: ask }; /* scenarios.mjs: keep the extras archive once used */

  navigator.serviceWorker.addEventListener("message", function (event) {
    var data = event.data || {};
    if (data.type === "kept") state["fsKept" + data.what.charAt(0).toUpperCase() + data.what.slice(1)] = "1";
    if (data.type === "updated") showNotice(data.notice);
  });

  function showNotice(notice) {
    var place = document.querySelector(".md-content__inner") || document.body;
    if (document.querySelector(".fs-updated")) return;
    var box = document.createElement("div");
    box.className = "fs-updated";
    box.setAttribute("role", "status");
    var text = document.createElement("p");
    text.textContent = notice.text;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-button";
    button.textContent = notice.dismiss;
    button.addEventListener("click", function () { box.remove(); });
    box.append(text, button);
    place.prepend(box);
  }

  /* Registers once; on later page views (Material's instant navigation loads no page, so the
   * browser does not check by itself) asks whether a new build's worker is there. */
  function register() {
    if (registered) {
      registered.then(function (reg) { return reg.update(); }).catch(function () {});
      return;
    }
    registered = navigator.serviceWorker.register(worker, { scope: new URL("../", script).href });
    registered.then(function (reg) {
      state.fsOffline = "registered";
      /* A page already under a worker: ask for a newer one now (register() alone does not). */
      if (navigator.serviceWorker.controller) reg.update().catch(function () {});
    }, function () {});
  }

  /* On a calculator page, after the engine has started (engine.mjs); elsewhere, at once. */
  function whenEngineSettled(then) {
    var engine = window.fsCalcEngine;
    if (!document.querySelector(".fs-calc") || !engine || engine.state === "ready" || engine.state === "failed") return then();
    var listener = function (s) {
      if (s === "loading") return;
      engine.listeners.delete(listener);
      then();
    };
    engine.listeners.add(listener);
  }

  function pageView() {
    whenEngineSettled(function () {
      register();
      if (document.querySelector(".fs-calc")) ask("engine");
    });
  }

  function start() {
    if (typeof window.document$ !== "undefined") window.document$.subscribe(pageView);
    else pageView();
  }
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
