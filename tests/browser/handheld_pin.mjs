// The rep's PIN on the app, on a phone's screen against the real `serve`
// and gateway: 今日 says the data is not protected; 设置 PIN takes the PIN
// twice (a mismatch is caught); 锁定 locks the handheld and the lock screen
// comes up; a wrong PIN says how many tries are left; the right one
// unlocks. Locked again from the command line (as when the day's unlock
// runs out), the check-in the rep sends brings the lock screen up, and
// goes through once the PIN is in. A count after it, check-out, and the
// background sync delivers it all. Locked at the end, five wrong PINs lock
// PINs out, and the screen says until when. No console errors beyond the
// agent's refusals the test asks for (wrong PINs, the locked handheld's 423).
//   node handheld_pin.mjs AGENT STATE GATEWAY WORKDIR [SCREENSHOT_DIR]
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { checks, finish, launch, watchedPage } from "./browser.mjs";
import { fakeGpsd, freePort, phone, scanEngine, smallTargets, startServe } from "./handheld_agent.mjs";

const [agent, state, gateway, work, shots] = process.argv.slice(2);
const photo = path.join(path.dirname(fileURLToPath(import.meta.url)), "storefront.png");
const shot = (page, name) => shots ? page.screenshot({ path: path.join(shots, name + ".png") }) : null;
const { problems, expect } = checks();
const refusals = [];
const pinCode = "246813";

// Some 2 m from T1's centre: a latitude the master data does not hold, so
// that a search of the state folder for it finds only what the check-in kept.
const gpsd = await fakeGpsd({ lat: 31.230417, lon: 121.506021, accuracy_m: 6 });
const engine = scanEngine(path.join(work, "scanner"));
const serve = await startServe({ agent, state, port: await freePort(), gateway, gpsd: gpsd.address,
                                 scanner: engine.path, log: path.join(work, "serve.log") });
const browser = await launch();
try {
  const page = await watchedPage(await phone(browser), refusals);
  const small = async (screen) => {
    const found = await smallTargets(page);
    expect(found.length === 0, `targets under 48 px on ${screen}: ${found.join(", ")}`);
  };
  const type = async (keys, digits) => { for (const d of digits) await page.tap(`${keys} button[data-key="${d}"]`); };
  const dots = (id) => page.locator(`#${id} span.on`).count();

  await page.goto(serve.url);
  await page.waitForFunction(() => app.state && app.state.master_version > 0 && app.state.fix, null, { timeout: 60000 });
  console.log("fix at " + await page.evaluate(() => app.state.fix.lat));
  await page.waitForSelector("#nearby button.terminal[data-terminal=T1]");

  // No PIN: 今日 says so, and nothing offers to lock.
  expect(await page.evaluate(() => app.state.lock.status) === "no_pin", "a new handheld has a PIN");
  await page.waitForSelector("#pin-missing:not([hidden])");
  console.log("no PIN: " + await page.textContent("#pin-missing p"));
  expect(await page.locator("#lock-now").isHidden(), "锁定 is offered with no PIN");
  await shot(page, "handheld-no-pin");
  await small("今日 with no PIN");

  // 设置 PIN: twice, the first time not the same.
  await page.tap("#pin-missing-set");
  await page.waitForSelector("#pin-view:not([hidden])");
  expect(await page.textContent("#pin-step") === "请输入新 PIN（6 到 16 位数字）", "the first step reads " + await page.textContent("#pin-step"));
  await type("#pin-keys", "2468");
  await page.tap("#pin-next");
  await page.waitForSelector("#pin-error:has-text('PIN 为 6 到 16 位数字')");
  await type("#pin-keys", "13");
  expect(await dots("pin-dots") === 6, "6 digits show as " + await dots("pin-dots") + " dots");
  await page.tap("#pin-next");
  await page.waitForSelector("#pin-step:has-text('请再次输入新 PIN')");
  await type("#pin-keys", "246814");
  await page.tap("#pin-next");
  await page.waitForSelector("#pin-error:has-text('两次输入的 PIN 不一致')");
  console.log("a mismatch: " + await page.textContent("#pin-error"));
  await type("#pin-keys", pinCode);
  await page.tap("#pin-next");
  await type("#pin-keys", "24681");
  await shot(page, "handheld-pin");
  await small("设置 PIN");
  await type("#pin-keys", "3");
  expect(await page.textContent("#pin-next") === "设置 PIN", "the last step's button reads " + await page.textContent("#pin-next"));
  await page.tap("#pin-next");
  await page.waitForSelector("#today-view:not([hidden]) #pin-done:not([hidden])", { timeout: 30000 });
  console.log("set: " + await page.textContent("#pin-done"));
  await page.waitForSelector("#lock-now:not([hidden])");
  await shot(page, "handheld-pin-set");
  await small("今日 with a PIN");
  expect(await page.locator("#pin-missing").isHidden(), "今日 still says there is no PIN");
  expect(await page.evaluate(() => app.state.lock.status) === "unlocked", "after set-pin the lock is " + await page.evaluate(() => app.state.lock.status));

  // 锁定, then a wrong PIN and the right one.
  await page.tap("#lock-now");
  await page.waitForSelector("#lock-view:not([hidden])");
  const status = await page.evaluate(async () => (await api("/api/state")).lock.status);
  expect(status === "locked", "after 锁定 the agent says " + status);
  await type("#lock-keys", "111111");
  await page.tap("#lock-unlock");
  await page.waitForSelector("#lock-error:has-text('PIN 错误，还可尝试 4 次')");
  console.log("wrong PIN: " + await page.textContent("#lock-error"));
  expect(await dots("lock-dots") === 0, "a wrong PIN leaves its dots");
  await type("#lock-keys", "2468");
  await shot(page, "handheld-lock");
  await small("the lock screen");
  await type("#lock-keys", "13");
  await page.tap("#lock-unlock");
  await page.waitForSelector("#lock-view", { state: "hidden" });
  await page.waitForSelector("#today-view:not([hidden]) #nearby button.terminal[data-terminal=T1]");
  console.log("unlocked");

  // A check-in with its storefront photo; the handheld locked behind the
  // page's back before it is sent.
  await page.tap("#nearby button[data-terminal=T1]");
  await page.waitForSelector("#checkin-view:not([hidden])");
  await page.waitForFunction(() => document.querySelector("#checkin-fix").textContent.startsWith("精度"));
  await page.setInputFiles("#checkin-photo", photo);
  await page.waitForSelector("#checkin-photo-state:has-text('门头照已保存')");
  execFileSync(agent, ["--state", state, "lock"]);
  await page.tap("#checkin-form button[type=submit]");
  await page.waitForSelector("#lock-view:not([hidden])");
  expect(await page.locator("#visit-open").isHidden(), "the check-in went through while locked");
  await type("#lock-keys", pinCode);
  await page.tap("#lock-unlock");
  await page.waitForSelector("#visit-open:not([hidden])", { timeout: 30000 });
  expect((await page.textContent("#visit-name")).includes("老百姓大药房"), "the visit is not T1's");
  console.log("the check-in sent while locked went through once unlocked");

  // A count, and check-out.
  await page.fill("#count-form input[name=product]", "P1");
  await page.fill("#count-form input[name=quantity]", "5");
  await page.tap("#count-form button[type=submit]");
  await page.waitForFunction(() => document.querySelectorAll("#saved li").length === 1);
  // The state folder as it stands while serve runs, its WAL and the kept
  // photo with it (unless already delivered), for the test to search.
  fs.cpSync(state, path.join(work, "state-while-serving"), { recursive: true });
  await page.tap("#checkout");
  await page.tap("#checkout");
  await page.waitForSelector("#checked-out:not([hidden])");
  await page.waitForFunction(() => document.querySelector("#sync-waiting").textContent === "全部已上传", null, { timeout: 120000 });
  console.log("the outbox emptied with no sync pressed");

  // Locked at the end (the kernel forgets the key), and five wrong PINs:
  // the lock screen says until when no PIN is taken, and that nothing goes.
  await page.tap("#lock-now");
  await page.waitForSelector("#lock-view:not([hidden])");
  for (let left = 4; left >= 0; --left) {
    await type("#lock-keys", "000000");
    await page.tap("#lock-unlock");
    if (left) await page.waitForSelector(`#lock-error:has-text('还可尝试 ${left} 次')`);
  }
  await page.waitForSelector("#lock-error:has-text('不会删除任何数据')");
  const until = await page.evaluate(async () => (await api("/api/state")).lock.locked_until_ms);
  const at = new Intl.DateTimeFormat("zh-CN", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Asia/Shanghai" }).format(new Date(until));
  const out = await page.textContent("#lock-error");
  expect(out === `输错次数过多，请于 ${at} 后再试不会删除任何数据`, "locked out the screen reads " + out);
  expect(await page.locator("#lock-unlock").isDisabled() && await page.locator("#lock-keys button[data-key='5']").isDisabled(), "the keypad takes a PIN while locked out");
  console.log("locked out: " + out);
  await shot(page, "handheld-locked-out");
  await page.tap("#lock-language");
  const english = [await page.textContent("#lock-title"), await page.textContent("#lock-unlock"), await page.textContent("#lock-error")].join(" / ");
  expect(english === `Locked / Unlock / Too many wrong PINs: try again after ${at} (China time)Nothing is deleted`, "in English the lock screen reads " + english);
} catch (error) {
  problems.push(error.message);
} finally {
  await browser.close();
  const ended = await serve.kill("SIGTERM");
  expect(ended.code === 0, "serve did not exit 0 on SIGTERM: " + JSON.stringify(ended));
  gpsd.close();
  execFileSync(agent, ["--state", state, "lock"]);
}
// The browser logs every refusal: the wrong PINs' 403s (one, then five),
// the locked handheld's 423; anything else is a problem.
const wrong = refusals.filter((r) => /status of 403/.test(r));
expect(wrong.length === 6, "403s: " + wrong.join("; "));
problems.push(...refusals.filter((r) => !/status of (403|423)/.test(r)));
finish(problems);
