/* ficshelf: small enhancements on top of pages that work without JavaScript.
   - inferred tags load their evidence in place (the links work without this);
   - the reader remembers and restores the place read, and moves between
     chapters with the arrow keys;
   - theme and text size change without a reload;
   - many uploaded files are sent one at a time with progress.
   Nothing here builds HTML from data: server fragments come from this site,
   everything else is set with textContent. */
(function () {
  "use strict";

  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";

  function post(url, fields, keepalive) {
    var body = new URLSearchParams();
    Object.keys(fields).forEach(function (k) { body.append(k, String(fields[k])); });
    return fetch(url, {
      method: "POST", body: body, credentials: "same-origin", keepalive: !!keepalive,
      headers: { "X-CSRF-Token": token, "Accept": "application/json" }
    });
  }

  /* --- evidence on the work page ---------------------------------------------- */
  function initEvidence() {
    var slot = document.getElementById("evidence-slot");
    if (!slot) { return; }
    document.addEventListener("click", function (ev) {
      var link = ev.target.closest ? ev.target.closest("a.claim[data-fragment]") : null;
      if (!link || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) { return; }
      ev.preventDefault();
      fetch(link.getAttribute("data-fragment"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var panel = doc.querySelector(".evidence-panel");
          if (!panel) { throw new Error("no panel"); }
          slot.replaceChildren(document.importNode(panel, true));
          document.querySelectorAll("a.claim.selected").forEach(function (a) { a.classList.remove("selected"); });
          link.classList.add("selected");
          history.replaceState(null, "", link.getAttribute("href"));
          var heading = slot.querySelector("h3");
          if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
          slot.scrollIntoView({ block: "start", behavior: "smooth" });
        })
        .catch(function () { window.location.href = link.getAttribute("href"); });
    });
  }

  /* --- analysis that is still running ---------------------------------------- */
  function initPending() {
    var note = document.getElementById("analysis-pending");
    if (!note) { return; }
    var url = note.getAttribute("data-poll"), tries = 0;
    function poll() {
      tries += 1;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.status === "ready" || data.status === "failed") { window.location.reload(); }
          else if (tries < 40) { setTimeout(poll, 1500); }
        })
        .catch(function () { /* leave the note as it is */ });
    }
    setTimeout(poll, 1200);
  }

  /* --- sidebar counts still being computed --------------------------------------- */
  function initFacets() {
    var aside = document.querySelector("aside.filters[data-facets]");
    if (!aside) { return; }
    var url = aside.getAttribute("data-facets"), tries = 0, touched = false;
    aside.addEventListener("input", function () { touched = true; });
    function poll() {
      tries += 1;
      fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (r) {
          if (r.status === 202) { if (tries < 60) { setTimeout(poll, 700); } return null; }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (!html || touched) { return; }
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.querySelector("aside.filters");
          if (fresh) { aside.replaceWith(document.importNode(fresh, true)); }
        })
        .catch(function () { /* keep the library-wide counts */ });
    }
    setTimeout(poll, 400);
  }

  /* --- reader --------------------------------------------------------------- */
  var BLOCK_ID = /^(?:c(\d+)-)?p(\d+)$/;

  function blocks(root) {
    return Array.prototype.filter.call(root.querySelectorAll(".chapter-body [id]"), function (el) {
      return BLOCK_ID.test(el.id);
    });
  }

  function where(root) {
    var list = blocks(root), top = 8;
    for (var i = 0; i < list.length; i++) {
      var r = list[i].getBoundingClientRect();
      if (r.bottom > top) {
        var m = BLOCK_ID.exec(list[i].id);
        var chapter = m[1] ? Number(m[1]) : Number(root.getAttribute("data-chapter"));
        var offset = r.height > 0 ? Math.min(1, Math.max(0, (top - r.top) / r.height)) : 0;
        return { chapter: chapter, block: Number(m[2]), offset: Math.round(offset * 1000) / 1000 };
      }
    }
    return null;
  }

  function goTo(root, pos, chapterPrefix) {
    var m = /^(\d+)(?:\.(\d+))?$/.exec(pos || "");
    if (!m) { return false; }
    var el = document.getElementById((chapterPrefix || "") + "p" + m[1]);
    if (!el) { return false; }
    var offset = m[2] ? Number("0." + m[2]) : 0;
    var r = el.getBoundingClientRect();
    window.scrollTo(0, window.scrollY + r.top - 8 + offset * r.height);
    return true;
  }

  function initReader() {
    var root = document.getElementById("reader");
    if (!root) { return; }
    var status = document.getElementById("saved-status");
    var saveUrl = root.getAttribute("data-save");
    if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
    var params = new URLSearchParams(window.location.search);
    var evidence = window.location.hash.indexOf("#ev-") === 0;
    var restore = function () {
      if (evidence) {
        var target = document.getElementById(window.location.hash.slice(1));
        if (target) { target.scrollIntoView({ block: "center" }); }
        return;
      }
      goTo(root, params.get("pos") || root.getAttribute("data-pos"), "");
    };
    restore();
    window.addEventListener("load", restore);

    var last = null, timer = null;
    function save(keepalive) {
      var here = where(root);
      if (!here || !here.chapter) { return; }
      var key = here.chapter + ":" + here.block + ":" + here.offset;
      if (key === last) { return; }
      last = key;
      post(saveUrl, here, keepalive).then(function (r) {
        if (r.ok && status) { status.textContent = "Place saved: chapter " + here.chapter + ", paragraph " + (here.block + 1) + "."; }
      }).catch(function () { last = null; });
    }
    window.addEventListener("scroll", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { save(false); }, 400);
    }, { passive: true });
    window.addEventListener("pagehide", function () { save(true); });

    var jump = document.querySelector("select[data-jump]");
    if (jump) {
      jump.addEventListener("change", function () {
        var base = jump.form.getAttribute("data-base");
        window.location.href = base + encodeURIComponent(jump.value);
      });
    }
  }

  function initKeys() {
    document.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }
      var t = ev.target, tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) { return; }
      var rel = ev.key === "ArrowLeft" ? "prev" : ev.key === "ArrowRight" ? "next" : null;
      if (!rel || !document.getElementById("reader")) { return; }
      var link = document.querySelector('.chapter-nav a[rel="' + rel + '"]');
      if (link) { ev.preventDefault(); window.location.href = link.href; }
    });
  }

  /* --- theme and size --------------------------------------------------------- */
  function initPrefs() {
    var form = document.querySelector("form.prefs");
    if (!form) { return; }
    form.addEventListener("click", function (ev) {
      var button = ev.target.closest ? ev.target.closest("button") : null;
      if (!button) { return; }
      ev.preventDefault();
      var html = document.documentElement;
      var theme = (/theme-(\w+)/.exec(html.className) || [])[1] || "light";
      var font = Number((/font-(\d)/.exec(html.className) || [])[1] || 3);
      if (button.name === "theme") { theme = button.value; }
      if (button.name === "step") { font = Math.min(7, Math.max(1, font + (button.value === "bigger" ? 1 : -1))); }
      var root = document.getElementById("reader");
      var here = root ? where(root) : null;
      html.className = html.className.replace(/theme-\w+/, "theme-" + theme).replace(/font-\d/, "font-" + font);
      form.querySelectorAll(".theme-button").forEach(function (b) {
        var on = b.value === theme;
        b.classList.toggle("active", on);
        b.setAttribute("aria-pressed", on ? "true" : "false");
      });
      var fontField = form.querySelector('input[name="font"]');
      if (fontField) { fontField.value = String(font); }
      if (root && here) { goTo(root, here.block + "." + String(Math.round(here.offset * 1000)).padStart(3, "0"), root.getAttribute("data-whole") === "true" ? "c" + here.chapter + "-" : ""); }
      post("/prefs", { theme: theme, font: font });
    });
  }

  /* --- uploads with progress ------------------------------------------------------ */
  function initUpload() {
    var form = document.getElementById("upload-form");
    if (!form || !window.FormData) { return; }
    form.addEventListener("submit", function (ev) {
      var input = form.querySelector('input[type="file"]');
      var files = input ? Array.prototype.slice.call(input.files) : [];
      if (files.length < 2) { return; }  /* one file: the plain form post is fine */
      ev.preventDefault();
      var box = document.getElementById("upload-progress");
      var bar = document.getElementById("upload-bar");
      var count = document.getElementById("upload-count");
      var log = document.getElementById("upload-log");
      box.hidden = false;
      bar.max = files.length;
      bar.value = 0;
      log.replaceChildren();
      var totals = { added: 0, updated: 0, unchanged: 0, rejected: 0 };
      form.querySelector("button").disabled = true;
      function line(name, status, detail, link) {
        var li = document.createElement("li");
        li.className = "status-" + status;
        var strong = document.createElement("span");
        strong.className = "status";
        strong.textContent = status;
        li.append(name + ": ", strong);
        if (link) {
          var a = document.createElement("a");
          a.href = link.href;
          a.textContent = link.title;
          li.append(" — ", a);
        }
        if (detail) {
          var why = document.createElement("span");
          why.className = "why";
          why.textContent = " " + detail;
          li.append(why);
        }
        log.append(li);
      }
      function next(i) {
        count.textContent = "Imported " + i + " of " + files.length + " files…";
        bar.value = i;
        if (i >= files.length) {
          count.textContent = "Done: " + totals.added + " added, " + totals.updated + " updated, " +
            totals.unchanged + " unchanged, " + totals.rejected + " rejected.";
          form.querySelector("button").disabled = false;
          return;
        }
        var data = new FormData();
        data.append("files", files[i], files[i].name);
        fetch(form.getAttribute("data-api"), {
          method: "POST", body: data, credentials: "same-origin",
          headers: { "X-CSRF-Token": token, "Accept": "application/json" }
        }).then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
          .then(function (res) {
            var outs = (res.body && res.body.outcomes) || [];
            if (!outs.length) {
              totals.rejected += 1;
              line(files[i].name, "rejected", (res.body && res.body.error) || "the server refused it", null);
            }
            outs.forEach(function (o) {
              totals[o.status] = (totals[o.status] || 0) + 1;
              line(files[i].name, o.status, o.error, o.link ? { href: o.link, title: o.title || o.link } : null);
            });
          })
          .catch(function () { totals.rejected += 1; line(files[i].name, "rejected", "the upload failed", null); })
          .then(function () { next(i + 1); });
      }
      next(0);
    });
  }

  function init() {
    initEvidence();
    initPending();
    initFacets();
    initReader();
    initKeys();
    initPrefs();
    initUpload();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
}());
