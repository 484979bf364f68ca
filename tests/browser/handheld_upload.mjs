// 上传 on a phone's screen: a commercial rep picks a distributor's flow file
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
const { gpsd, serve } = await handheldAtT1({ agent, state, gateway, work });
const browser = await launch();
try {
  const page = await watchedPage(await phone(browser), problems);
  await page.goto(serve.url);
  await page.waitForFunction(() => app.token);
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
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
  await serve.kill("SIGTERM");
  gpsd.close();
}
finish(problems);
