// Reads a GEXF or GraphML file with Gephi Lite's parsers and prints what it found as JSON:
//   node read-network.cjs FILE
// Exit code 1, with the parser's message on stderr, when the parser refuses the file.
'use strict';
const fs = require('fs');
const Graph = require('graphology');
const gexf = require('graphology-gexf');
const graphml = require('graphology-graphml');

const file = process.argv[2];
const text = fs.readFileSync(file, 'utf8');
let graph;
try {
  graph = file.endsWith('.gexf') ? gexf.parse(Graph, text) : graphml.parse(Graph, text);
} catch (error) {
  process.stderr.write(`${file}: ${error.message}\n`);
  process.exit(1);
}
const nodes = {};
graph.forEachNode((node, attributes) => { nodes[node] = attributes; });
const edges = [];
graph.forEachEdge((edge, attributes, source, target, _s, _t, undirected) => {
  edges.push({id: edge, source, target, undirected, attributes});
});
process.stdout.write(JSON.stringify({type: graph.type, multi: graph.multi, order: graph.order, size: graph.size, nodes, edges}));
