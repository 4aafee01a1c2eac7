"use strict";
// Retention (admins): the office's policy, and what its next run deletes (the same list as
// `siaran retention --dry-run`), previewed as the numbers are typed, before they are saved.
(function () {
  const form = document.getElementById("retention-form"), state = document.getElementById("retention-state");
  const keep = document.getElementById("retention-keep"), budget = document.getElementById("retention-budget");
  const newest = document.getElementById("retention-newest");
  const why = (item) => item.reason === "age" ? S.t("retention.age", { days: S.decimal(item.days) })
    : item.reason === "trash" ? S.t("retention.fromTrash") : S.t("retention.overBudget");
  const keptWhy = { pinned: S.t("retention.whyPinned"), recording: S.t("retention.whyRecording"), newest: S.t("retention.whyNewest") };
  // A session in the trash has no page of its own: it links to its entry in the trash, marked so.
  function row(s, reason, inTrash) {
    return S.el("li", { class: "card", "data-id": s.id },
      S.el("a", { href: inTrash ? "/trash#" + encodeURIComponent(s.id) : "/sessions/" + encodeURIComponent(s.id) }, S.el("b", { text: s.title })), " ",
      inTrash ? S.el("span", { class: "badge in-trash", text: S.t("retention.inTrash") }) : "", " ",
      S.el("span", { class: "muted", text: s.id }),
      S.el("div", { class: "muted", text: S.date(s.startedAt, "date") + " · " + S.bytes(s.bytes) + " · " + reason }));
  }
  function showPolicy(p) {
    const parts = [];
    if (p.keepDays != null) parts.push(S.t("retention.keepsDays", { days: S.decimal(p.keepDays) }));
    if (p.budgetBytes != null) parts.push(S.t("retention.keepsBudget", { size: S.bytes(p.budgetBytes) }));
    document.getElementById("retention-current").textContent = parts.length
      ? parts.join(" · ") + " · " + S.t("retention.keepsNewest", { count: S.decimal(p.keepNewest) })
        + (p.setBy ? " " + S.t("retention.setBy", { name: String(p.setBy).replace(/^web:/, ""), when: S.date(p.setAt) }) : "")
      : S.t("retention.off");
  }
  function showPlan(plan) {
    const days = plan.policy.keepDays;
    // The trash takes disk too: the budget counts it (in the total), and empties it first.
    document.getElementById("retention-summary").textContent =
      (plan.trashSessions ? S.t("retention.trashCounted", { count: S.decimal(plan.trashSessions), size: S.bytes(plan.trashBytes) }) + " " : "")
      + (plan.delete.length
        ? S.t("retention.summary", { count: S.decimal(plan.delete.length), size: S.bytes(plan.freedBytes), total: S.bytes(plan.totalBytes), after: S.bytes(plan.totalBytes - plan.freedBytes) })
        : S.t("retention.nothing", { total: S.bytes(plan.totalBytes), sessions: S.decimal(plan.sessions) }));
    const shortfall = document.getElementById("retention-shortfall");
    shortfall.classList.toggle("hidden", !plan.shortfall);
    if (plan.shortfall) shortfall.textContent = S.t("retention.shortfall", { kept: S.bytes(plan.shortfall.keptBytes), budget: S.bytes(plan.shortfall.budgetBytes),
      pinned: S.bytes(plan.shortfall.pinnedBytes), recording: S.bytes(plan.shortfall.recordingBytes), newest: S.bytes(plan.shortfall.newestBytes) });
    const list = document.getElementById("retention-delete");
    list.replaceChildren(...plan.delete.map((s) => row(s, why({ reason: s.reason, days }), s.reason === "trash")));
    const kept = document.getElementById("retention-kept");
    kept.replaceChildren(...(plan.kept.length ? plan.kept.map((s) => row(s, keptWhy[s.why], s.inTrash === true))
      : [S.el("li", { class: "muted empty", text: S.t("retention.noneKept") })]));
  }
  function wanted() {
    const number = (input) => input.value.trim() === "" ? null : Number(input.value);
    const gb = number(budget);
    return { keepDays: number(keep), budgetBytes: gb == null ? null : Math.round(gb * 1e9), keepNewest: number(newest) ?? 3 };
  }
  function fill(p) {
    keep.value = p.keepDays ?? "";
    budget.value = p.budgetBytes == null ? "" : String(p.budgetBytes / 1e9);
    newest.value = p.keepNewest;
  }
  let timer = null;
  async function preview() {
    const w = wanted(), query = new URLSearchParams();
    for (const [name, value] of Object.entries(w)) query.set(name, value == null ? "" : String(value));
    try {
      const view = await S.api("/api/retention?" + query);
      document.getElementById("retention-preview-heading").textContent = S.t("retention.previewUnsaved");
      showPlan(view.plan);
      state.textContent = "";
    } catch (error) {
      state.textContent = error.message;
    }
  }
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(preview, 300); });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearTimeout(timer);
    try {
      const view = await S.api("/api/retention", { method: "PUT", body: wanted() });
      showPolicy(view.policy);
      showPlan(view.plan);
      document.getElementById("retention-preview-heading").textContent = S.t("retention.preview");
      state.textContent = S.t("retention.saved");
    } catch (error) {
      state.textContent = error.message;
    }
  });
  S.api("/api/retention").then((view) => { fill(view.policy); showPolicy(view.policy); showPlan(view.plan); })
    .catch((error) => { state.textContent = error.message; });
})();
