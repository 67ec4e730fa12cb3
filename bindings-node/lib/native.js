'use strict';
// The compiled addon, loaded once. Loading names the runtime for the User-Agent and reads
// SELLKIT_LOG.
//
// The addon comes in one npm package per platform (bindings-node/npm/<key>/, published as
// `sellkit-<key>`), each an optional dependency of `sellkit` that npm installs only where its
// `os`, `cpu` and `libc` fit. A `.node` file built in place by `napi build --platform` (a clone
// of the repository: `npm run build`) sits beside this folder and wins, so local builds and the
// tests need no platform package.

const fs = require('node:fs');
const path = require('node:path');

const PACKAGE = 'sellkit';

// The platforms with a prebuilt binary: package.json `napi.targets`, by napi's naming.
const SUPPORTED = [
  'linux-x64-gnu',
  'linux-arm64-gnu',
  'linux-x64-musl',
  'linux-arm64-musl',
  'darwin-x64',
  'darwin-arm64',
  'win32-x64-msvc',
  'win32-arm64-msvc',
];

/** `true` when this Linux runs on musl (Alpine), `false` for glibc, `null` if unknown. */
function isMusl() {
  // The dynamic loader's script names its libc, and reading it costs less than a report.
  try {
    const ldd = fs.readFileSync('/usr/bin/ldd', 'utf8');
    if (ldd.includes('musl')) return true;
    if (ldd.includes('GNU C Library') || ldd.includes('GLIBC')) return false;
  } catch {
    // No ldd (a slim image): ask the process report below.
  }
  try {
    const { header, sharedObjects = [] } = process.report.getReport();
    if (header.glibcVersionRuntime) return false;
    if (sharedObjects.some((f) => f.includes('libc.musl-') || f.includes('ld-musl-'))) return true;
  } catch {
    // process.report can be disabled; then nothing is known.
  }
  return null;
}

/** The platform as napi names its binaries, with what was seen to name it. */
function detectPlatform() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const musl = isMusl();
    const libc = musl === null ? 'unknown libc' : musl ? 'musl' : 'glibc';
    return { key: `linux-${arch}-${musl ? 'musl' : 'gnu'}`, description: `Linux ${arch} (${libc})` };
  }
  if (platform === 'win32') return { key: `win32-${arch}-msvc`, description: `Windows ${arch}` };
  if (platform === 'darwin') return { key: `darwin-${arch}`, description: `macOS ${arch}` };
  return { key: `${platform}-${arch}`, description: `${platform} ${arch}` };
}

function notFoundError(target, tried) {
  const pkg = `${PACKAGE}-${target.key}`;
  const lines = [`sellkit could not load its native addon on ${target.description} (Node ${process.version}).`];
  if (SUPPORTED.includes(target.key)) {
    lines.push(
      `Its binary comes in the package ${pkg}, an optional dependency of sellkit, which is not installed.`,
      'Reinstall with optional dependencies enabled (without --omit=optional or --no-optional),',
      `or add it directly: npm install ${pkg}`,
      '(a package-lock.json written on another platform can leave it out; adding it directly fixes that).',
    );
  } else {
    lines.push(
      `There is no prebuilt binary for ${target.key}; prebuilt: ${SUPPORTED.join(', ')}.`,
      'Build it from source: clone the repository, then `npm install && npm run build` (needs Rust),',
      `which places sellkit.${target.key}.node beside bindings-node/lib.`,
    );
  }
  if (tried.length) lines.push(`Tried: ${tried.join('; ')}.`);
  const err = new Error(lines.join('\n'));
  err.code = 'ERR_SELLKIT_NATIVE_NOT_FOUND';
  return err;
}

function load() {
  const target = detectPlatform();
  const tried = [];
  const local = path.join(__dirname, '..', `${PACKAGE}.${target.key}.node`);
  if (fs.existsSync(local)) return require(local);
  tried.push(local);
  const pkg = `${PACKAGE}-${target.key}`;
  try {
    return require(pkg);
  } catch (err) {
    // Only the package's absence is "not installed"; a binary that is there but fails to load
    // (a libc too old, a damaged file) keeps its own error as the cause.
    const missing = err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes(`'${pkg}'`);
    if (!missing) {
      throw new Error(`sellkit found ${pkg} for ${target.description} but could not load it: ${err && err.message}`, { cause: err });
    }
    tried.push(pkg);
  }
  throw notFoundError(target, tried);
}

const native = load();

const [major, minor] = process.versions.node.split('.');
native.init(`node ${major}.${minor}`);

module.exports = native;
