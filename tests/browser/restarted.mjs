// The dashboard of a gateway just restarted, with no new data: the charts
// say there is nothing to draw yet instead of drawing a time axis of their
// own making, and no device is shown online, since none is connected.
//   node restarted.mjs URL NAME PASSWORD [SCREENSHOT.png]
import { checks, finish, launch, logIn, watchedPage } from "./browser.mjs";

const [url, name, password, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await watchedPage(context, problems);
  await logIn(page, url, name, password);
  await page.waitForFunction(() => document.getElementById("live-state").textContent === "实时");
  // A few samples of the metrics, every one of them empty.
  await page.waitForTimeout(6000);
  for (const id of ["rate-chart", "latency-chart"]) {
    expect(await page.isVisible(`#${id}-none`), `the ${id} does not say it has no data`);
    expect((await page.textContent(`#${id}-none`)).startsWith("暂无数据"), `the ${id}'s note is not 暂无数据`);
    expect(!(await page.isVisible(`#${id} canvas`)), `the ${id} draws an axis with no data`);
  }
  const states = await page.locator("#devices td.state").evaluateAll(
    (cells) => cells.map((cell) => cell.dataset.state));
  expect(states.length > 0, "the devices the store knows are not listed");
  expect(!states.includes("online"), `a device is shown online with no connection open: ${states}`);
  console.log(`restarted: charts show no data yet; devices ${states.join(", ")}`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });

  await page.click("#language");
  await page.locator("#rate-chart-none", { hasText: "no data yet" }).waitFor();
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
