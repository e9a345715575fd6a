'use strict';

/*
 * The picture of a group's topology, drawn into an SVG element: the members in ring order on a circle
 * with the ring's edges and skip links (ring topology), or as the 4-ary tree over the ring order (tree
 * topology); members that are down are marked. A message's path (GET .../messages/{id}/path) is drawn
 * over it: the hand-offs from its author, numbered by hop, those this node saw itself in another colour,
 * those to members that are down dashed.
 */
const RingchatTopology = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const SIZE = 400;
  const CENTER = SIZE / 2;
  const TREE_ARITY = 4; // as org.ringchat.topology.tree
  const RING_RADIUS = 118;

  function el(name, attributes, parent) {
    const node = document.createElementNS(NS, name);
    for (const [key, value] of Object.entries(attributes)) {
      node.setAttribute(key, String(value));
    }
    if (parent) {
      parent.appendChild(node);
    }
    return node;
  }

  function nodeRadius(n) {
    if (n <= 12) return 16;
    if (n <= 32) return 10;
    if (n <= 128) return 6;
    return 3;
  }

  /** Positions by peer ID: a circle from the top, clockwise; or the tree's levels from the top. */
  function layout(detail) {
    const members = detail.members;
    const positions = new Map();
    const n = members.length;
    if (detail.topology === 'tree') {
      const depthOf = (p) => {
        let depth = 0;
        while (p > 0) {
          p = Math.floor((p - 1) / TREE_ARITY);
          depth++;
        }
        return depth;
      };
      const levels = [];
      members.forEach((m, p) => {
        const depth = depthOf(p);
        (levels[depth] = levels[depth] || []).push(m.peerId);
      });
      const rowHeight = levels.length > 1 ? (SIZE - 90) / (levels.length - 1) : 0;
      levels.forEach((ids, depth) => {
        ids.forEach((id, i) => {
          positions.set(id, {
            x: (SIZE * (i + 1)) / (ids.length + 1),
            y: levels.length > 1 ? 40 + depth * rowHeight : CENTER,
            angle: Math.PI / 2,
          });
        });
      });
    } else {
      const radius = n === 1 ? 0 : RING_RADIUS;
      members.forEach((m, i) => {
        const angle = -Math.PI / 2 + (2 * Math.PI * i) / n;
        positions.set(m.peerId, { x: CENTER + radius * Math.cos(angle), y: CENTER + radius * Math.sin(angle), angle });
      });
    }
    return positions;
  }

  /** The undirected links, each once: [a, b, kind] with kind ring, skip or tree. */
  function edges(detail) {
    const order = new Map(detail.members.map((m, i) => [m.peerId, i]));
    const n = detail.members.length;
    const seen = new Set();
    const result = [];
    for (const m of detail.members) {
      for (const other of m.links) {
        if (!order.has(other)) continue;
        const key = [m.peerId, other].sort().join(' ');
        if (seen.has(key)) continue;
        seen.add(key);
        const distance = Math.abs(order.get(m.peerId) - order.get(other));
        const adjacent = distance === 1 || distance === n - 1;
        result.push([m.peerId, other, detail.topology === 'tree' ? 'tree' : adjacent ? 'ring' : 'skip']);
      }
    }
    return result;
  }

  function marker(defs, id, cssClass) {
    const m = el('marker', { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
    el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cssClass }, m);
  }

  /** A line from a to b that stops short of both nodes. */
  function shortened(a, b, gap) {
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const length = Math.hypot(dx, dy) || 1;
    const ux = dx / length;
    const uy = dy / length;
    return { x1: a.x + ux * gap, y1: a.y + uy * gap, x2: b.x - ux * gap, y2: b.y - uy * gap };
  }

  /**
   * Draws the group. {@code path} is the answer of the path endpoint for the selected message, or null.
   */
  function draw(svg, detail, path) {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const defs = el('defs', {}, svg);
    marker(defs, 'arrow', 't-arrow');
    marker(defs, 'arrow-seen', 't-arrow-seen');
    marker(defs, 'arrow-down', 't-arrow-down');
    const members = detail.members;
    const n = members.length;
    const positions = layout(detail);
    const r = nodeRadius(n);

    const links = el('g', { class: 't-links' }, svg);
    if (detail.topology !== 'tree' && n > 2) {
      el('circle', { cx: CENTER, cy: CENTER, r: RING_RADIUS, class: 't-ring', 'data-testid': 'topology-edge', 'data-kind': 'ring' }, links);
    }
    for (const [a, b, kind] of edges(detail)) {
      if (kind === 'ring' && n > 2) continue; // drawn by the circle
      const line = shortened(positions.get(a), positions.get(b), 0);
      el('line', { ...line, class: kind === 'skip' ? 't-skip' : 't-edge', 'data-testid': 'topology-edge', 'data-kind': kind }, links);
    }

    const author = path ? path.author : null;
    if (path) {
      const overlay = el('g', { class: 't-paths' }, svg);
      for (const step of path.steps) {
        const a = positions.get(step.from);
        const b = positions.get(step.to);
        if (!a || !b) continue;
        const classes = ['t-path'];
        let arrow = 'arrow';
        if (step.targetDown) {
          classes.push('down');
          arrow = 'arrow-down';
        } else if (step.seen) {
          classes.push('seen');
          arrow = 'arrow-seen';
        }
        const line = shortened(a, b, r + 3);
        el('line', {
          ...line, class: classes.join(' '), 'marker-end': `url(#${arrow})`,
          'data-testid': 'path-edge', 'data-from': step.from, 'data-to': step.to,
          'data-seen': step.seen, 'data-down': step.targetDown, 'data-hop': step.hop,
        }, overlay);
        if (n <= 24) {
          // the hop number beside the middle of its arrow
          const length = Math.hypot(line.x2 - line.x1, line.y2 - line.y1) || 1;
          const nx = -(line.y2 - line.y1) / length;
          const ny = (line.x2 - line.x1) / length;
          const label = el('text', {
            x: (line.x1 + line.x2) / 2 + nx * 11, y: (line.y1 + line.y2) / 2 + ny * 11 + 4, class: 't-hop',
          }, overlay);
          label.textContent = String(step.hop);
        }
      }
    }

    const nodes = el('g', { class: 't-nodes' }, svg);
    for (const m of members) {
      const p = positions.get(m.peerId);
      const classes = ['t-node', m.presence.toLowerCase()];
      if (m.self) classes.push('self');
      if (m.peerId === author) classes.push('author');
      const g = el('g', {
        class: classes.join(' '), 'data-testid': 'topology-node', 'data-peer-id': m.peerId, 'data-presence': m.presence,
      }, nodes);
      const title = el('title', {}, g);
      title.textContent = `${m.address}${m.owner ? ' (owner)' : ''}: ${m.presence.toLowerCase()}`;
      el('circle', { cx: p.x, cy: p.y, r }, g);
      if (m.presence === 'OFFLINE' && r >= 6) {
        const d = r * 0.45;
        el('path', { d: `M ${p.x - d} ${p.y - d} L ${p.x + d} ${p.y + d} M ${p.x + d} ${p.y - d} L ${p.x - d} ${p.y + d}`, class: 't-cross' }, g);
      }
      if (n <= 16) {
        const outward = detail.topology === 'tree' ? { x: p.x, y: p.y + r + 13 }
          : n === 1 ? { x: p.x, y: p.y + r + 14 }
            : { x: p.x + Math.cos(p.angle) * (r + 8), y: p.y + Math.sin(p.angle) * (r + 14) + 4 };
        // on a circle, labels on the sides grow away from it, so that they stay inside the picture
        const side = detail.topology === 'tree' || n === 1 ? '' : Math.cos(p.angle) > 0.3 ? ' start' : Math.cos(p.angle) < -0.3 ? ' end' : '';
        const label = el('text', { x: outward.x, y: outward.y, class: `t-label${m.self ? ' self' : ''}${side}` }, g);
        label.textContent = m.self ? 'me' : m.shortId;
      }
    }
  }

  return { draw };
})();
