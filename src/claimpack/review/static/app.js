// claimpack review: keys, forms and the small API. Text from the package is only ever set with textContent.
(function () {
  "use strict";
  const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
  const token = meta("claimpack-token");
  const base = meta("claimpack-base").replace(/\/$/, "");
  const lastAction = parseInt(meta("claimpack-last-action") || "0", 10);
  const card = document.querySelector("[data-record-id]");
  const status = document.getElementById("status");
  let busy = false;

  function say(message, problems, kind) {
    if (!status) return;
    status.textContent = "";
    const p = document.createElement("p");
    p.className = kind || "error";
    p.textContent = message;
    status.appendChild(p);
    if (problems && problems.length) {
      const list = document.createElement("ul");
      list.className = "problems";
      for (const problem of problems) {
        const item = document.createElement("li");
        item.className = problem.severity || "error";
        item.textContent = problem.line;
        list.appendChild(item);
      }
      status.appendChild(list);
    }
  }

  async function post(action, body) {
    if (busy) return null;
    busy = true;
    document.body.classList.add("busy");
    say("Saving and validating…", null, "progress-note");
    try {
      const response = await fetch(`${base}/api/${action}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Claimpack-Token": token },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      let result;
      try { result = await response.json(); } catch (e) { result = { ok: false, message: `the workbench answered ${response.status}` }; }
      if (result.ok) {
        window.location.assign(result.url);
        return result;
      }
      say(result.message || "refused", result.problems || []);
      if (status) status.focus && status.setAttribute("tabindex", "-1");
      return result;
    } catch (error) {
      say(`The workbench did not answer: ${error}`);
      return null;
    } finally {
      busy = false;
      document.body.classList.remove("busy");
    }
  }

  function record() {
    return card ? { id: card.dataset.recordId, version: card.dataset.version } : null;
  }

  function show(form) {
    for (const other of document.querySelectorAll("form.panel[hidden], form.panel")) {
      if (other !== form && (other.id === "reject-form" || other.id === "edit-form")) other.hidden = true;
    }
    form.hidden = false;
    const first = form.querySelector("input[type=radio]:checked") || form.querySelector("input, select, button");
    if (first) first.focus();
  }

  function hide(form) {
    form.hidden = true;
    if (card) card.focus();
  }

  const rejectForm = document.getElementById("reject-form");
  const editForm = document.getElementById("edit-form");
  const verdictForm = document.getElementById("verdict-form");

  const actions = {
    accept: () => record() && post("accept", record()),
    reject: () => rejectForm && show(rejectForm),
    edit: () => editForm && show(editForm),
    undo: () => post("undo", { last: lastAction }),
    next: () => card && card.dataset.next && window.location.assign(card.dataset.next),
    previous: () => card && card.dataset.previous && window.location.assign(card.dataset.previous),
    package: () => window.location.assign(`${base}/package`),
    help: () => {
      const help = document.getElementById("help");
      if (!help) return;
      if (help.open) help.close(); else help.showModal();
    },
  };

  if (rejectForm) {
    rejectForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = rejectForm.querySelector("input[name=reason]:checked");
      post("reject", { ...record(), reason: chosen ? chosen.value : "not-a-figure" });
    });
  }
  if (editForm) {
    editForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const fields = {};
      for (const element of editForm.elements) {
        if (element.name) fields[element.name] = element.value;
      }
      post("edit", { ...record(), fields });
    });
  }
  if (verdictForm) {
    verdictForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(verdictForm).entries());
      post("verdict", { ...record(), ...data });
    });
  }
  for (const form of [rejectForm, editForm, verdictForm]) {
    if (!form) continue;
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && (event.target.matches("select, input[type=radio]"))) {
        event.preventDefault();
        form.requestSubmit();
      }
      if (event.key === "Escape" && form !== verdictForm) {
        event.preventDefault();
        hide(form);
      }
    });
    for (const close of form.querySelectorAll("[data-close]")) close.addEventListener("click", () => hide(form));
  }
  for (const button of document.querySelectorAll("[data-action]")) {
    button.addEventListener("click", () => actions[button.dataset.action]());
  }
  for (const button of document.querySelectorAll("[data-help]")) button.addEventListener("click", actions.help);

  const keys = { a: "accept", x: "reject", e: "edit", u: "undo", j: "next", k: "previous", m: "package", "?": "help" };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const target = event.target;
    if (target && target.closest && target.closest("input, select, textarea, [contenteditable], dialog[open] form")) return;
    const name = keys[event.key];
    if (!name) return;
    if (!card && !["undo", "help", "package"].includes(name)) return;
    event.preventDefault();
    actions[name]();
  });

  // The paper view: add a claim from a selection, or from an excluded or unrecorded number.
  const addButton = document.getElementById("add-selection");
  let chosen = null;
  function offsetIn(block, node, offset) {
    let total = 0;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      if (text.parentElement && text.parentElement.closest(".sr-only")) continue;
      if (text === node) return total + offset;
      total += text.textContent.length;
    }
    return null;
  }
  if (addButton) {
    document.addEventListener("selectionchange", () => {
      const selection = document.getSelection();
      chosen = null;
      if (selection && selection.rangeCount && !selection.isCollapsed) {
        const range = selection.getRangeAt(0);
        const block = range.startContainer.parentElement && range.startContainer.parentElement.closest("[data-block]");
        const other = range.endContainer.parentElement && range.endContainer.parentElement.closest("[data-block]");
        if (block && block === other) {
          const start = offsetIn(block, range.startContainer, range.startOffset);
          const end = offsetIn(block, range.endContainer, range.endOffset);
          if (start !== null && end !== null && end > start) {
            chosen = { block: parseInt(block.dataset.block, 10), start, end };
          }
        }
      }
      addButton.disabled = !chosen;
      const shown = document.getElementById("selection-text");
      if (shown) shown.textContent = chosen ? `“${selection.toString().trim()}”` : "";
    });
    addButton.addEventListener("click", () => chosen && post("add", chosen));
    for (const number of document.querySelectorAll("button.num[data-start]")) {
      number.addEventListener("click", () => {
        const block = number.closest("[data-block]");
        post("add", { block: parseInt(block.dataset.block, 10), start: parseInt(number.dataset.start, 10),
                      end: parseInt(number.dataset.end, 10) });
      });
    }
  }

  // Batch rules: reject every previewed candidate in one action.
  const apply = document.getElementById("apply-batch");
  if (apply) {
    apply.addEventListener("click", () => {
      const records = [...document.querySelectorAll("#preview [data-id]")].map((item) => ({ id: item.dataset.id, version: item.dataset.version }));
      post("batch", { records, reason: apply.dataset.reason });
    });
  }

  // The package's title, licence and authors: authors are added, moved and removed with buttons (keyboard alike).
  const packageForm = document.getElementById("package-form");
  if (packageForm) {
    const list = document.getElementById("authors");
    const other = document.getElementById("p-licence-other");
    const otherChoice = packageForm.querySelector("input[name=licence][value=other]");
    function renumber() {
      const items = [...list.querySelectorAll("li.author")];
      items.forEach((item, index) => {
        const number = index + 1;
        item.querySelector("[data-move='-1']").setAttribute("aria-label", `Move up (author ${number})`);
        item.querySelector("[data-move='1']").setAttribute("aria-label", `Move down (author ${number})`);
        item.querySelector("[data-remove]").setAttribute("aria-label", `Remove (author ${number})`);
        item.querySelector("[data-move='-1']").disabled = index === 0;
        item.querySelector("[data-move='1']").disabled = index === items.length - 1;
      });
    }
    list.addEventListener("click", (event) => {
      const button = event.target.closest("button");
      if (!button) return;
      const item = button.closest("li.author");
      if (button.hasAttribute("data-remove")) {
        const next = item.nextElementSibling || item.previousElementSibling;
        item.remove();
        renumber();
        (next ? next.querySelector("input") : document.getElementById("add-author")).focus();
        return;
      }
      const step = parseInt(button.dataset.move, 10);
      const sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
      if (!sibling) return;
      if (step < 0) list.insertBefore(item, sibling); else list.insertBefore(sibling, item);
      renumber();
      const again = item.querySelector(`[data-move='${step}']`);
      (again && !again.disabled ? again : item.querySelector("input")).focus();
    });
    document.getElementById("add-author").addEventListener("click", () => {
      const item = document.getElementById("author-template").content.firstElementChild.cloneNode(true);
      list.appendChild(item);
      renumber();
      item.querySelector("input").focus();
    });
    if (other && otherChoice) other.addEventListener("input", () => { otherChoice.checked = true; });
    renumber();
    packageForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const chosen = packageForm.querySelector("input[name=licence]:checked");
      const licence = !chosen ? "" : chosen.value === "other" ? other.value : chosen.value;
      const authors = [...list.querySelectorAll("li.author")].map((item) => ({
        name: item.querySelector("[name=author-name]").value,
        organization: item.querySelector("[name=author-organization]").value,
      }));
      const body = { version: packageForm.dataset.version, title: packageForm.elements.title.value, licence, authors };
      if (packageForm.elements.date) body.date = packageForm.elements.date.value;
      post("about", body);
    });
    packageForm.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && event.target.matches("input[type=radio]")) {
        event.preventDefault();
        packageForm.requestSubmit();
      }
    });
  }

  // The full check runs in the background: show its verdict when it comes.
  const fullCheck = document.getElementById("full-check");
  async function poll() {
    try {
      const response = await fetch(`${base}/api/status`, { credentials: "same-origin" });
      const state = await response.json();
      const check = state.full_check;
      let text = state.ready ? "" : "Warming the validation…";
      if (state.ready && check) {
        if (check.state === "valid") text = `Full check: valid (${check.seconds} s, ${check.at})`;
        else if (check.state === "invalid") text = `Full check: ${check.errors} error(s) (${check.at}); reload to see them`;
        else if (check.state === "running") text = "Full check running…";
        else text = "Full check after the next pause";
      }
      if (fullCheck && fullCheck.textContent.trim() !== text) fullCheck.textContent = text;
    } catch (error) { /* the workbench stopped: nothing to show */ }
  }
  if (fullCheck) window.setInterval(poll, 3000);

  if (card) card.focus({ preventScroll: true });
})();
