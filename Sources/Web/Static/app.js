// Mimamori's first-party script: progressive enhancement only. Every page works without it.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // Confirmation before actions that notify or bind other authorities.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }

  // A large spreadsheet: how much of it has been sent, then that it is being checked. The
  // answer (the report, or what was registered) replaces the page, as a normal submit would.
  for (const form of document.querySelectorAll("form[data-upload-progress]")) {
    form.addEventListener("submit", (event) => {
      const progress = form.querySelector("progress");
      const status = form.querySelector("[role=status]");
      if (!progress || !window.XMLHttpRequest) return;
      event.preventDefault();
      const request = new XMLHttpRequest();
      request.open("POST", form.action);
      progress.hidden = false;
      request.upload.addEventListener("progress", (sent) => {
        if (!sent.lengthComputable) return;
        progress.value = Math.round((sent.loaded / sent.total) * 100);
        status.textContent = `送信中 ${progress.value}%`;
      });
      request.upload.addEventListener("load", () => { status.textContent = "全行を確認しています…"; });
      request.addEventListener("load", () => {
        document.open();
        document.write(request.responseText);
        document.close();
      });
      request.addEventListener("error", () => { status.textContent = "送信できませんでした。もう一度お試しください。"; });
      form.querySelector("button[type=submit]").disabled = true;
      request.send(new FormData(form));
    });
  }

  // The print view's button (the browser's own print works as well).
  for (const button of document.querySelectorAll("button[data-print]")) {
    button.addEventListener("click", () => window.print());
  }

  // A file over the limit is refused before it is uploaded (the server checks again).
  for (const input of document.querySelectorAll("input[type=file][data-max-bytes]")) {
    input.addEventListener("change", () => {
      const limit = Number(input.dataset.maxBytes);
      const tooLarge = [...input.files].some((file) => file.size > limit);
      input.setCustomValidity(tooLarge ? `ファイルが大きすぎます。${Math.round(limit / 1048576)}MBまでのファイルを選んでください。` : "");
      input.reportValidity();
    });
  }

  // Search as you type: the results are swapped in from the same page, rendered by the server.
  const box = document.getElementById("q");
  const results = document.getElementById("results");
  const searchForm = document.getElementById("search-form");
  if (box && results && searchForm) {
    let timer = null;
    let latest = 0;
    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        if (box.value.trim().length < 2) return;
        const parameters = new URLSearchParams(new FormData(searchForm));
        const ticket = ++latest;
        try {
          const response = await fetch(`/search?partial=1&${parameters}`, { credentials: "same-origin" });
          if (ticket !== latest || !response.ok) return;
          results.innerHTML = await response.text();
          history.replaceState(null, "", `/search?${parameters}`);
        } catch (_) {
          // Offline or signed out: the form still submits normally.
        }
      }, 400);
    });
  }

  // Idle-timeout logout: after the session's idle time without input, sign out (the server
  // ends the session then as well); a minute before, say so.
  const idleSeconds = Number(document.body.dataset.idleSeconds || 0);
  const logout = document.getElementById("logout-form");
  if (idleSeconds > 0 && logout) {
    let last = Date.now();
    let warning = null;
    // Input keeps the server's session alive too (it ends after the same idle time without a
    // request), so a long entry typed into a form is not lost at submission.
    let pinged = Date.now();
    const active = () => {
      last = Date.now();
      if (warning) { warning.remove(); warning = null; }
      if (last - pinged > 5 * 60 * 1000) {
        pinged = last;
        fetch("/api/v1/session", { credentials: "same-origin" }).catch(() => {});
      }
    };
    for (const name of ["keydown", "mousedown", "pointermove", "scroll", "touchstart"]) {
      document.addEventListener(name, active, { passive: true });
    }
    setInterval(() => {
      const idle = (Date.now() - last) / 1000;
      if (idle >= idleSeconds) {
        const reason = document.createElement("input");
        reason.type = "hidden";
        reason.name = "reason";
        reason.value = "idle";
        logout.appendChild(reason);
        logout.submit();
      } else if (idle >= idleSeconds - 60 && !warning) {
        warning = document.createElement("p");
        warning.className = "notice";
        warning.setAttribute("role", "alert");
        warning.textContent = "操作がないため、まもなくログアウトします。続ける場合は画面を操作してください。";
        document.getElementById("main").prepend(warning);
      }
    }, 5000);
  }
});
