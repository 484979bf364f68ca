// 今日 on a handheld that holds no plan: the page says no plan has come
// down and lists the terminals near the rep (within the agent's nearby
// radius), not every terminal of the master data.
//   node handheld_nearby.mjs AGENT STATE GATEWAY WORKDIR [SCREENSHOTS]
import path from "node:path";
import { checks, finish, launch, watchedPage } from "./browser.mjs";
import { handheldAtT1, phone } from "./handheld_agent.mjs";

const [agent, state, gateway, work, shots] = process.argv.slice(2);
const { problems, expect } = checks();
// At T1; T3 is 900 m east, T4 some 12 km away.
const { gpsd, serve } = await handheldAtT1({ agent, state, gateway, work });
const browser = await launch();
try {
  const page = await watchedPage(await phone(browser), problems);
  await page.goto(serve.url);
  await page.waitForFunction(() => app.state && app.state.master_version > 0 && app.state.fix, null, { timeout: 60000 });
  await page.waitForSelector("#nearby button.terminal[data-terminal=T3]");
  expect(await page.evaluate(() => app.state.plan_version) === null, "serve holds a plan");
  const nearby = await page.locator("#nearby button.terminal").evaluateAll((b) => b.map((x) => x.dataset.terminal));
  console.log("nearby without a plan: " + nearby.join(","));
  console.log("plan: " + await page.textContent("#plan"));
  const title = await page.textContent("#nearby-title");
  expect(title === "附近的终端", `with no plan the nearby list is titled ${title}`);
  // Nothing captured, nothing delivered: the bar says so without a contradiction.
  const bar = [await page.textContent("#sync-waiting"), await page.textContent("#sync-delivered")];
  expect(bar.join(" · ") === "暂无待上传 · 尚未送达", `before any capture the bar reads ${bar.join(" · ")}`);
  // The address is the line under the name, absent when the master data has none.
  for (const id of ["T3", "T1"]) {
    const lines = await page.locator(`#nearby button.terminal[data-terminal=${id}] .body > span`).evaluateAll((spans) => spans.map((x) => x.className + "=" + x.textContent));
    const address = lines[1] && lines[1].startsWith("address=") && lines[0].startsWith("name=") ? lines[1].slice(8) : "";
    console.log(`under ${id}'s name: ${address}`);
  }
  if (shots) await page.screenshot({ path: path.join(shots, "handheld-nearby.png") });
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
  await serve.kill("SIGTERM");
  gpsd.close();
}
finish(problems);
