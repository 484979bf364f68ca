// What the rep's app tests share: `fieldflow-agent serve` started as the
// handheld runs it, with a gpsd on a loopback port that reports a fix every
// second where the test stands the rep, and a FIFO as the scan engine; and
// a phone's screen (360×640, touch) in Debian's Chromium.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import zlib from "node:zlib";

// A handheld standing at T1 of the master fixture with a fix good to 6 m,
// its scan engine a FIFO in `work`, and serve started with both on a free
// port. `options` starts serve again, for a test that kills it.
export async function handheldAtT1({ agent, state, gateway, work }) {
  const gpsd = await fakeGpsd({ lat: 31.2304, lon: 121.506, accuracy_m: 6 });
  const engine = scanEngine(path.join(work, "scanner"));
  const options = { agent, state, port: await freePort(), gateway, gpsd: gpsd.address, scanner: engine.path, log: path.join(work, "serve.log") };
  return { gpsd, engine, options, serve: await startServe(options) };
}

// The gpsd session as a daemon speaks it: a version, then once watched a
// TPV report every second with the time it was made.
export async function fakeGpsd(position) {
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    socket.write(JSON.stringify({ class: "VERSION", release: "3.22", rev: "3.22", proto_major: 3, proto_minor: 14 }) + "\n");
    let timer = null;
    socket.on("data", () => {
      if (timer) return;
      const report = () => socket.write(JSON.stringify({
        class: "TPV", device: "/dev/ttyS1", mode: 3, time: new Date().toISOString(),
        lat: position.lat, lon: position.lon, eph: position.accuracy_m,
      }) + "\n");
      report();
      timer = setInterval(report, 1000);
      socket.on("close", () => clearInterval(timer));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    address: "127.0.0.1:" + server.address().port,
    close: () => { for (const s of sockets) s.destroy(); server.close(); },
  };
}

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.address().port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// The scan engine: a FIFO the agent reads one code per line from. Each
// write opens and closes it, as an engine that reconnects would.
export function scanEngine(path) {
  if (!fs.existsSync(path)) execFileSync("mkfifo", [path]);
  return {
    path,
    scan: (code) => new Promise((resolve, reject) => {
      fs.open(path, "w", (error, fd) => {
        if (error) return reject(error);
        fs.write(fd, code + "\n", (e) => { fs.close(fd, () => {}); e ? reject(e) : resolve(); });
      });
    }),
  };
}

// `serve` on `port`, answering once its page does; `kill(signal)` ends it.
export async function startServe({ agent, state, port, gateway, gpsd, scanner, log }) {
  const out = fs.openSync(log, "a");
  const child = spawn(agent, ["--state", state, "serve", "--ui", "127.0.0.1:" + port, "--gateway", gateway,
                              "--gpsd", gpsd, "--scanner", scanner], { stdio: ["ignore", out, out] });
  let exited = null;
  child.on("exit", (code, signal) => { exited = { code, signal }; });
  const url = "http://127.0.0.1:" + port + "/";
  const deadline = Date.now() + 30000;
  for (;;) {
    if (exited) throw new Error(`serve exited (${exited.code ?? exited.signal}) before it answered; see ${log}`);
    try {
      if ((await fetch(url + "api/session")).ok) break;
    } catch (e) {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error("serve did not answer within 30 s; see " + log);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    kill: (signal = "SIGTERM") => new Promise((resolve) => {
      if (exited) return resolve(exited);
      child.on("exit", (code, sig) => resolve({ code, signal: sig }));
      child.kill(signal);
    }),
  };
}

export function phone(browser) {
  return browser.newContext({ viewport: { width: 360, height: 640 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
}

// A GTIN-14 with its check digit (GS1 mod 10) after the thirteen digits given.
export function gtin(first13) {
  let sum = 0;
  for (let i = 0; i < 13; ++i) sum += Number(first13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return first13 + ((10 - (sum % 10)) % 10);
}

// A PNG of one colour, for a photo that is not the storefront's.
export function solidPng(file, width, height, [r, g, b]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes) => {
    let c = 0xffffffff;
    for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const tail = Buffer.alloc(4);
    tail.writeUInt32BE(crc(body));
    return Buffer.concat([head, body, tail]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);  // 8-bit RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array(width).fill([r, g, b]).flat())]);
  const pixels = zlib.deflateSync(Buffer.concat(Array(height).fill(row)));
  fs.writeFileSync(file, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
                                        chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]));
  return file;
}

// What a thumb or a glove could miss: visible controls under 48 px high
// (a checkbox counts by its label, which is the target).
export function smallTargets(page) {
  return page.evaluate(() => [...document.querySelectorAll("button, input, select, textarea, summary, a[href]")]
    .filter((node) => node.getClientRects().length && node.type !== "file")
    .map((node) => (node.type === "checkbox" ? node.closest("label") : node))
    .filter((node) => node.getBoundingClientRect().height < 48)
    .map((node) => `${node.tagName.toLowerCase()}${node.name ? "[name=" + node.name + "]" : ""} ${Math.round(node.getBoundingClientRect().height)} px`));
}
