// 上传 on a phone's screen: a commercial rep (R3) picks a distributor's flow file
// (GBK, as a Windows export writes it) from the handheld's storage, sees how
// many rows will go and the bad one by its line before anything is queued,
// then queues the rest, which serve's own sync delivers.
//   node handheld_upload.mjs AGENT STATE GATEWAY WORKDIR [SCREENSHOTS]
// WORKDIR holds flows.csv.
import path from "node:path";
import { checks, finish, launch, watchedPage } from "./browser.mjs";
import { handheldAtT1, phone } from "./handheld_agent.mjs";

const [agent, state, gateway, work, shots] = process.argv.slice(2);
const { problems, expect } = checks();

// The tab bar as the rep sees it: `labels` in order, each whole in its tab
// (nothing cut or spilling), each tab at least 56 px high and a fifth of the
// screen wide, all of them within the screen.
async function tabsFit(page, language, labels) {
  const tabs = await page.locator("#tabs button:visible").evaluateAll((buttons) => buttons.map((b) => {
    const box = b.getBoundingClientRect();
    return { text: b.textContent, scroll: b.scrollWidth, client: b.clientWidth, width: box.width,
             height: box.height, right: box.right };
  }));
  const width = await page.evaluate(() => window.innerWidth);
  const texts = tabs.map((tab) => tab.text);
  expect(texts.join(",") === labels.join(","), `the ${language} tabs read ${texts.join(",")}`);
  for (const tab of tabs) {
    expect(tab.scroll <= tab.client, `${tab.text} is cut at ${width} px: ${tab.scroll} px in ${tab.client} px`);
    expect(tab.height >= 56 && tab.width >= width / 5, `${tab.text} is a small target at ${width} px: ${tab.width}×${tab.height}`);
    expect(tab.right <= width + 0.5, `${tab.text} ends beyond the screen at ${width} px`);
  }
  console.log(`tabs at ${width} px in ${language}: ${texts.join(",")}, each whole`);
}
const { gpsd, serve } = await handheldAtT1({ agent, state, gateway, work });
const browser = await launch();
try {
  const page = await watchedPage(await phone(browser), problems);
  await page.goto(serve.url);
  await page.waitForFunction(() => app.token);
  // R3 is a commercial rep: 上传 shows once serve's own sync has brought
  // the master data, which says so.
  await page.waitForSelector("#tabs button[data-tab=upload]:visible", { timeout: 60000 }).catch(() => {
    throw new Error("no 上传 tab for a commercial rep: rep_role is " + JSON.stringify(app.state && app.state.rep_role));
  });
  await tabsFit(page, "中文", ["今日", "拜访", "结果", "上传"]);
  if (shots) await page.screenshot({ path: path.join(shots, "handheld-tabs-zh.png") });
  await page.tap("#tabs button[data-tab=upload]");
  await page.waitForSelector("#upload-view:not([hidden])");
  await page.setInputFiles("#upload-file", path.join(work, "flows.csv"));
  await page.waitForSelector("#upload-check:not([hidden])");
  const summary = await page.textContent("#upload-summary");
  console.log("checked: " + summary);
  const bad = await page.locator("#upload-bad li").allTextContents();
  console.log("bad rows: " + bad.join(" | "));
  expect(bad.length === 1 && bad[0].startsWith("第 3 行"), `the bad rows read ${bad}`);
  const waiting = await page.evaluate(() => app.state.records_waiting);
  expect(waiting === 0, `${waiting} records were queued by the check`);
  const confirm = await page.textContent("#upload-confirm");
  expect(confirm === "上传这 2 行", `the button reads ${confirm}`);
  if (shots) {
    await page.evaluate(() => document.querySelector("#upload-check").scrollIntoView({ block: "start" }));
    await page.screenshot({ path: path.join(shots, "handheld-upload.png") });
  }

  await page.tap("#upload-confirm");
  await page.waitForSelector("#upload-done:not([hidden])");
  console.log("done: " + await page.textContent("#upload-done"));
  // Delivered by the background sync, with no sync command.
  await page.waitForFunction(() => app.state.records_waiting === 0 && app.state.last_delivered_ms, null, { timeout: 60000 });

  await page.tap("#language");
  await page.setInputFiles("#upload-file", path.join(work, "flows.csv"));
  await page.waitForFunction(() => /rows to upload, 1 bad/.test(document.querySelector("#upload-summary").textContent));
  const english = await page.locator("#upload-bad li").first().textContent();
  console.log("in English: " + english);
  expect(english.startsWith("line 3"), `in English the bad row reads ${english}`);

  // Every tab's label whole in English, at 360 px and at 480 px, each tab
  // a thumb's target.
  await tabsFit(page, "English", ["Today", "Visit", "Results", "Upload"]);
  if (shots) await page.screenshot({ path: path.join(shots, "handheld-tabs-en-360.png") });
  await page.setViewportSize({ width: 480, height: 800 });
  await tabsFit(page, "English", ["Today", "Visit", "Results", "Upload"]);
  if (shots) await page.screenshot({ path: path.join(shots, "handheld-tabs-en-480.png") });
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
  await serve.kill("SIGTERM");
  gpsd.close();
}
finish(problems);
