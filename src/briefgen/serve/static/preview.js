// briefgen's live preview page. The server pushes one `state` message per change
// (Server-Sent Events); this script draws it. Text from the project (messages,
// file lines) is only ever set as textContent: a project is untrusted.
"use strict";

const $ = (selector) => document.querySelector(selector);
let shownHtml = 0;      // HTML version in the front frame
let loadingHtml = 0;    // HTML version loading in the back frame
let shownKey = "";      // template/lang of the front frame: another one starts at the top
let shownPdf = 0;
let loadingPdf = 0;
let problemsHidden = "";
let htmlSeen = 0;         // HTML version the status line reports
let htmlTime = "";  // the problem list the reader chose to hide

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function fillSelect(select, items, current) {
  const wanted = items.map((item) => item.value).join("\n");
  if (select.dataset.items !== wanted) {
    select.replaceChildren(...items.map((item) => {
      const option = el("option", "", item.label);
      option.value = item.value;
      return option;
    }));
    select.dataset.items = wanted;
  }
  select.value = current;
}

// What the reader chose and the server has not shown yet: a state that arrives
// meanwhile must not put the menu back to what it was.
const pending = {};

function shownOrPending(field, value) {
  if (pending[field] === value) delete pending[field];
  return field in pending ? pending[field] : value;
}

function drawControls(state) {
  fillSelect($("#template"), state.templates.map((t) => ({ value: t.name, label: t.name })),
    shownOrPending("template", state.template));
  const chosen = state.templates.find((t) => t.name === state.template);
  $("#template").title = chosen ? chosen.description : "";
  fillSelect($("#lang"), state.languages.map((l) => ({ value: l, label: l })),
    shownOrPending("lang", state.lang));
  document.title = `${state.template || "briefgen"} · preview`;
}

function drawStatus(state) {
  const status = $("#status");
  const parts = [];
  if (state.html_version !== htmlSeen) {
    htmlSeen = state.html_version;
    htmlTime = new Date().toLocaleTimeString();
  }
  if (state.html_version) parts.push(`web page updated ${htmlTime} (rendered in ${state.html_ms} ms)`);
  if (state.pdf_busy) parts.push("laying out the PDF");
  status.textContent = parts.join(" · ") || "rendering";
  status.classList.toggle("busy", state.pdf_busy);
  const pdf = state.pdf;
  $("#pdf-summary").textContent = pdf
    ? `— ${pdf.pages} page${pdf.pages === 1 ? "" : "s"}, laid out in ${pdf.seconds} s${pdf.current ? "" : " (earlier version)"}`
    : (state.pdf_busy ? "— laying out…" : "");
  $("#pdf-link").hidden = !pdf;
  $(".pdf-pane").classList.toggle("stale", Boolean(pdf) && !pdf.current);
  const report = $("#fit-report");
  report.replaceChildren(...state.report.map((line) => el("li", "", line)));
  const warnings = $("#warnings");
  warnings.hidden = state.warnings.length === 0;
  warnings.querySelector("summary").textContent =
    `${state.warnings.length} warning${state.warnings.length === 1 ? "" : "s"}`;
  warnings.querySelector("ul").replaceChildren(...state.warnings.map((w) => el("li", "", w)));
}

function drawProblems(state) {
  const problems = state.problems;
  const key = JSON.stringify(problems);
  document.body.dataset.problems = String(problems.length);
  const overlay = $("#problems");
  const tab = $("#problems-show");
  if (problems.length === 0) {
    overlay.hidden = true;
    tab.hidden = true;
    problemsHidden = "";
    return;
  }
  overlay.dataset.key = key;
  $("#problems-title").textContent =
    `${problems.length} problem${problems.length === 1 ? "" : "s"} found`;
  $("#problem-list").replaceChildren(...problems.map((problem) => {
    const item = el("li");
    const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
    item.append(el("div", "where", where));
    item.append(el("div", "message",
      problem.field ? `${problem.field}: ${problem.message}` : problem.message));
    if (problem.excerpt.length) {
      const pre = el("pre", "excerpt");
      const width = String(problem.excerpt[problem.excerpt.length - 1].line).length;
      for (const line of problem.excerpt) {
        const row = el("span", line.here ? "here" : "");
        row.append(el("span", "num", `${String(line.line).padStart(width)} │ `));
        row.append(document.createTextNode(line.text));
        pre.append(row, document.createTextNode("\n"));
      }
      item.append(pre);
    }
    return item;
  }));
  overlay.hidden = problemsHidden === key;
  tab.hidden = !overlay.hidden;
  tab.textContent = `${problems.length} problem${problems.length === 1 ? "" : "s"}`;
}

function showHtml(state) {
  const version = state.html_version;
  const key = `${state.template}/${state.lang}`;
  if (!version || version === shownHtml || version === loadingHtml) return;
  const front = $("iframe.front");
  const back = $("iframe.back");
  loadingHtml = version;
  back.onload = () => {
    if (loadingHtml !== version) return;  // a newer version is on its way
    // read the reader's position now, not when the load started: they may have scrolled
    const view = front.contentWindow;
    const x = key === shownKey && view ? view.scrollX : 0;
    const y = key === shownKey && view ? view.scrollY : 0;
    back.contentWindow.scrollTo(x, y);
    back.className = "front";
    back.removeAttribute("aria-hidden");
    front.className = "back";
    front.setAttribute("aria-hidden", "true");
    shownHtml = version;
    shownKey = key;
    document.body.dataset.htmlVersion = String(version);
  };
  back.src = `/html?v=${version}`;
}

function showPdf(state) {
  const pdf = state.pdf;
  if (!pdf || pdf.version === shownPdf || pdf.version === loadingPdf) return;
  loadingPdf = pdf.version;
  const pages = $("#pages");
  const next = el("div");
  next.id = "pages";
  let waiting = pdf.pages;
  const done = () => {
    waiting -= 1;
    if (waiting > 0 || loadingPdf !== pdf.version) return;
    const pane = $(".pdf-pane");
    const top = pane.scrollTop;
    $("#pages").replaceWith(next);
    pane.scrollTop = top;
    shownPdf = pdf.version;
    document.body.dataset.pdfVersion = String(pdf.version);
  };
  for (let number = 1; number <= pdf.pages; number += 1) {
    const figure = el("figure");
    const image = el("img");
    image.alt = `Page ${number} of the PDF`;
    image.onload = done;
    image.onerror = done;
    image.src = `/pdf/${pdf.version}/${number}.png`;
    figure.append(image, el("figcaption", "", `${number} / ${pdf.pages}`));
    next.append(figure);
  }
  if (pages === null) done();
}

function apply(state) {
  drawControls(state);
  drawStatus(state);
  drawProblems(state);
  showHtml(state);
  showPdf(state);
}

async function choose(field) {
  const value = $(`#${field}`).value;
  pending[field] = value;
  const response = await fetch("/select", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ [field]: value }),  // only what changed
  });
  if (!response.ok) {
    delete pending[field];
    $("#status").textContent = await response.text();
  }
}

function connect() {
  const source = new EventSource("/events");
  source.addEventListener("state", (event) => apply(JSON.parse(event.data)));
  source.onerror = () => {
    $("#status").textContent = "not connected — is 'briefgen serve' still running?";
  };
}

$("#template").addEventListener("change", () => choose("template"));
$("#lang").addEventListener("change", () => choose("lang"));
$("#problems-hide").addEventListener("click", () => {
  problemsHidden = $("#problems").dataset.key || "";
  $("#problems").hidden = true;
  $("#problems-show").hidden = false;
});
$("#problems-show").addEventListener("click", () => {
  problemsHidden = "";
  $("#problems").hidden = false;
  $("#problems-show").hidden = true;
});
connect();
