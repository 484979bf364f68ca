// The handhelds tab in headless Chromium, in Chinese: an admin enrols a
// device and sees its credential and QR code once, opens the list and a
// device's page with its chart, and revokes the new one with a reason;
// then the review queue, whose card must
// show no English field name or reason detail, and whose reason filter
// lists reasons by Chinese name with the code beside it.
//   node devices.mjs URL NAME PASSWORD DEVICE [SCREENSHOT.png]
// Exits 0 when all of it worked; otherwise prints what did not and exits 1.
import { checks, finish, launch, logIn, watchedPage } from "./browser.mjs";

const [url, name, password, seen, screenshot] = process.argv.slice(2);
const { problems, expect } = checks();
const shot = async (page, suffix) => {
  if (screenshot) await page.screenshot({ path: screenshot.replace(/\.png$/, suffix + ".png"), fullPage: true });
};

const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, locale: "zh-CN" });
  const page = await watchedPage(context, problems);
  await logIn(page, url, name, password);
  await page.click("#tabs button[data-tab=devices]");
  await page.locator(`#handheld-list tr[data-device="${seen}"]`).waitFor();
  await page.fill("#handheld-enrol input[name=device]", "dev-new");
  await page.fill("#handheld-enrol input[name=rep]", "R1");
  await page.click("#handheld-enrol button[type=submit]");
  await page.locator("#handheld-credential:not([hidden])").waitFor();
  const credential = await page.locator("#handheld-credential-text").textContent();
  expect(/^ffd1\.[0-9a-f]{64}$/.test(credential), `the credential reads ${credential}`);
  const modules = await page.locator("#handheld-qr svg path").getAttribute("d");
  expect(modules && modules.length > 1000, "the QR code has its modules");
  const uri = await page.locator("#handheld-credential-uri").textContent();
  expect(uri.endsWith("&device=dev-new&rep=R1&credential=" + credential), `the QR code holds ${uri}`);
  const command = await page.locator("#handheld-credential-command").textContent();
  expect(command === "fieldflow-agent init --enrolment '" + uri + "'", `the command to run is ${command}`);
  console.log("enrolled: credential " + credential);
  await shot(page, "");
  await page.click("#handheld-credential-close");
  expect(await page.locator("#handheld-credential-text").textContent() === "", "the credential is gone once closed");

  const newRow = page.locator('#handheld-list tr[data-device="dev-new"]');
  await newRow.waitFor();
  expect(await newRow.locator("td.state").textContent() === "未联系", "a new device is shown never seen");
  await newRow.locator(".revoke button").click();
  await newRow.locator(".revoke button").click();  // no reason yet: refused on the page
  expect(await newRow.locator(".revoke .error").textContent() === "请先填写吊销原因", "a revocation asks for its reason");
  await newRow.locator(".revoke input[name=reason]").fill("设备遗失");
  await newRow.locator(".revoke button").click();
  await page.locator('#handheld-list tr[data-device="dev-new"] td.state[data-state=revoked]').waitFor();
  console.log("revoked: dev-new");
  const seenState = await page.locator(`#handheld-list tr[data-device="${seen}"] td.state`).textContent();
  console.log(`listed: ${seen} ${seenState}`);
  await shot(page, "-list");

  await page.click(`#handheld-list tr[data-device="${seen}"] a`);
  await page.locator("#handheld-page:not([hidden])").waitFor();
  await page.locator("#handheld-days svg rect").first().waitFor();
  const bars = await page.locator("#handheld-days svg rect").count();
  const title = await page.locator("#handheld-page-title").textContent();
  console.log(`device page: ${title}, ${bars} bars`);
  const samples = await page.locator("#handheld-backlog svg circle.backlog-sample title").allTextContents();
  expect(samples.length > 0 && samples.every((s) => /待上传 \d+ 条$/.test(s)), `backlog samples: ${samples.join(" | ")}`);
  console.log(`backlog: ${samples.length} samples, the last ${samples[samples.length - 1]}`);
  await shot(page, "-page");

  await page.click("#tabs button[data-tab=review]");
  await page.locator("#review-list .review").first().waitFor();
  const names = await page.locator("#review-list .review dl dt").allTextContents();
  const english = names.filter((n) => /[A-Za-z]/.test(n));
  expect(names.length > 0 && english.length === 0, `English field names on the card: ${english.join(", ")}`);
  const details = await page.locator("#review-list .review .detail").allTextContents();
  const untranslated = details.filter((d) => /\b(from|radius|accuracy|the)\b/.test(d));
  expect(details.length > 0 && untranslated.length === 0, `English reason details: ${untranslated.join(" | ")}`);
  const options = await page.locator("#review-filter select[name=reason] option").allTextContents();
  expect(options.some((o) => o === "不在围栏内（outside_geofence）" || /[\u4e00-\u9fff]+（outside_geofence）/.test(o)),
         `the reason filter offers ${options.slice(0, 4).join(", ")}`);
  await page.selectOption("#review-filter select[name=reason]", "outside_geofence");
  await page.click("#review-filter button[type=submit]");
  await page.locator("#review-list .review").first().waitFor();
  console.log("review card: fields " + names.join("、") + "; detail" + details.join(""));
  await shot(page, "-review");
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
}
finish(problems);
