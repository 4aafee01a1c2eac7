"use strict";
// The session page's Word (DOCX) downloads and "Copy for WhatsApp" (the news post as plain text
// with WhatsApp's *bold* and the session's link), beside the Markdown and HTML ones.
(function () {
  const base = "/api/sessions/" + encodeURIComponent(S.session);
  const report = document.getElementById("report-docx"), post = document.getElementById("post-docx");
  if (report) report.href = base + "/report?format=docx";
  if (post) post.href = base + "/post/export?format=docx";
  const button = document.getElementById("post-whatsapp");
  if (!button) return;
  button.onclick = async () => {
    const state = document.getElementById("post-state"), area = document.getElementById("whatsapp-text");
    const link = location.origin + "/sessions/" + encodeURIComponent(S.session);
    let text;
    try {
      const response = await fetch(base + "/post/export?format=whatsapp&link=" + encodeURIComponent(link), { credentials: "same-origin" });
      if (!response.ok) {
        const data = await response.json().catch(() => null);
        throw new Error((data && data.error) || ("HTTP " + response.status));
      }
      text = await response.text();
    } catch (error) {
      state.textContent = error.message;
      return;
    }
    area.value = text;
    try {
      await navigator.clipboard.writeText(text);
      area.classList.add("hidden");
      state.textContent = S.t("post.whatsappCopied");
    } catch (_) {
      // Without clipboard access (an insecure origin): the text is shown, selected, to copy by hand.
      area.classList.remove("hidden");
      area.select();
      state.textContent = S.t("post.whatsappByHand");
    }
  };
})();
