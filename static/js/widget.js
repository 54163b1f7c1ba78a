/*
 * Upcoming editions for a partner's page, with a register button.
 *
 *   <div data-vcday-widget data-lang="zh-hans" data-series="SLUG" data-limit="3"></div>
 *   <script src="https://EVENTS-SITE/static/js/widget.js" async></script>
 *
 * It reads this site's public API (open to every origin) and builds plain elements that
 * inherit the host page's font and colour. No frames, no cookies, no inline HTML: texts are
 * set with textContent, and only http(s) links of this site are used.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var origin = new URL(script.src, document.baseURI).origin;
  var words = {
    en: { register: "Register", details: "Details", none: "No upcoming editions.", error: "Editions could not be loaded." },
    "zh-hans": { register: "报名", details: "详情", none: "暂无即将举行的活动。", error: "无法加载活动信息。" },
  };

  function own(link) {
    try {
      var url = new URL(link);
      return url.origin === origin && (url.protocol === "https:" || url.protocol === "http:") ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function pick(text, lang) {
    var first = lang === "zh-hans" ? text.zh_hans : text.en;
    return first || text.en || text.zh_hans || "";
  }

  function when(edition, lang) {
    var start = edition.start_date, end = edition.end_date;
    return start === end ? start : start + (lang === "zh-hans" ? " 至 " : " – ") + end;
  }

  function el(tag, text, style) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (style) for (var key in style) node.style[key] = style[key];
    return node;
  }

  function render(box, data, lang) {
    var t = words[lang];
    box.textContent = "";
    box.style.font = "inherit";
    box.style.color = "inherit";
    if (!data.items.length) {
      box.appendChild(el("p", t.none));
      return;
    }
    var list = el("ul", null, { listStyle: "none", padding: "0", margin: "0" });
    data.items.forEach(function (edition) {
      var item = el("li", null, { padding: "0.5em 0", borderBottom: "1px solid rgba(127,127,127,.3)" });
      var title = el("a", pick(edition.title, lang), { fontWeight: "bold", color: "inherit" });
      var page = own(lang === "zh-hans" ? edition.links.page_zh_hans : edition.links.page_en);
      if (page) title.href = page;
      item.appendChild(title);
      item.appendChild(el("div", when(edition, lang) + " · " + pick(edition.city, lang), { fontSize: "0.9em" }));
      var form = own(lang === "zh-hans" ? edition.registration.form_zh_hans : edition.registration.form_en);
      if (edition.registration.state === "open" && form) {
        var button = el("a", t.register, {
          display: "inline-block", marginTop: "0.35em", padding: "0.3em 0.9em", borderRadius: "0.3em",
          border: "1px solid currentColor", color: "inherit", textDecoration: "none",
        });
        button.href = form;
        button.setAttribute("data-vcday-register", "");
        item.appendChild(button);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
  }

  function load(box) {
    var lang = box.getAttribute("data-lang") === "zh-hans" ? "zh-hans" : "en";
    var limit = Math.min(Math.max(parseInt(box.getAttribute("data-limit"), 10) || 3, 1), 20);
    // Upcoming editions are few: fetch them all, show the soonest.
    var query = "?when=upcoming&limit=100";
    var series = box.getAttribute("data-series");
    if (series && /^[-a-zA-Z0-9_]+$/.test(series)) query += "&series=" + series;
    box.setAttribute("lang", lang);
    fetch(origin + "/api/v1/editions" + query, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        data.items.sort(function (a, b) { return a.start_date < b.start_date ? -1 : a.start_date > b.start_date ? 1 : 0; });
        data.items = data.items.slice(0, limit);
        render(box, data, lang);
      })
      .catch(function () { box.textContent = words[lang].error; });
  }

  function start() {
    var boxes = document.querySelectorAll("[data-vcday-widget]:not([data-vcday-loaded])");
    Array.prototype.forEach.call(boxes, function (box) {
      box.setAttribute("data-vcday-loaded", "");
      load(box);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
