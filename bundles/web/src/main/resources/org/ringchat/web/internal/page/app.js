'use strict';

/*
 * The page of one ringchat node: talks to its JSON API (/api, see docs/WEB.md) and follows its live
 * events (/api/events). Every text from the network goes into the page as text, never as markup.
 */
(() => {
  const state = {
    node: null,
    groups: [],
    groupId: null, // the group shown
    detail: null, // GET /api/groups/{id}
    messages: [], // of the group shown, in history order
    unread: new Map(), // group ID -> messages that arrived while another group was shown
    requests: [],
    selected: null, // message ID whose path is shown
    path: null,
  };

  const $ = (id) => document.getElementById(id);

  function make(tag, attributes = {}, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (value !== undefined && value !== null && value !== false) node.setAttribute(key, String(value));
    }
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // ------------------------------------------------------------------------------------ API

  async function api(method, path, body) {
    const options = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(`/api${path}`, options);
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      throw new Error(`the node answered ${response.status} without JSON`);
    }
    if (!response.ok) {
      throw new Error(json && json.error ? json.error : `the node answered ${response.status}`);
    }
    return { status: response.status, json };
  }

  let bannerTimer = null;

  function showBanner(text, info) {
    $('error-text').textContent = text;
    $('error').classList.toggle('info', Boolean(info));
    $('error').hidden = false;
    clearTimeout(bannerTimer);
    bannerTimer = setTimeout(() => { $('error').hidden = true; }, info ? 5000 : 12000);
  }

  /** Runs an action of the user; its error goes to the banner, its button is disabled meanwhile. */
  async function act(button, action) {
    if (button) button.disabled = true;
    try {
      await action();
    } catch (e) {
      showBanner(e.message);
    } finally {
      if (button) button.disabled = false;
    }
  }

  // ------------------------------------------------------------------------------------ loading

  async function loadNode() {
    state.node = (await api('GET', '/node')).json;
    $('node-address').textContent = state.node.address;
    $('topology-name').textContent = state.node.topology || 'none';
    const reach = state.node.reachability;
    const reachability = $('reachability');
    reachability.dataset.status = reach.status;
    reachability.textContent = { UNKNOWN: 'not checked yet', DIALABLE: 'others can dial it',
      NOT_DIALABLE: reach.relays.length ? `reached through ${reach.relays.length} relay(s)` : 'cannot be dialled' }[reach.status];
    reachability.title = reach.detail;
  }

  async function loadGroups() {
    state.groups = (await api('GET', '/groups')).json.groups;
    if (state.groupId && !state.groups.some((g) => g.id === state.groupId)) {
      state.groupId = null; // left, or removed
    }
    if (!state.groupId && state.groups.length > 0) {
      const fromHash = new URLSearchParams(location.hash.slice(1)).get('group');
      state.groupId = state.groups.some((g) => g.id === fromHash) ? fromHash : state.groups[0].id;
    }
    renderGroups();
  }

  async function loadRequests() {
    state.requests = (await api('GET', '/join-requests')).json.requests;
    renderRequests();
  }

  async function loadDetail() {
    if (!state.groupId) {
      state.detail = null;
      renderGroup();
      return;
    }
    const id = state.groupId;
    const [detail, messages] = await Promise.all([
      api('GET', `/groups/${id}`), api('GET', `/groups/${id}/messages`)]);
    if (state.groupId !== id) return; // another group was picked meanwhile
    const known = new Map(state.detail && state.detail.id === id ? state.messages.map((m) => [m.id, m]) : []);
    state.detail = detail.json;
    state.messages = messages.json.messages.map((m) => (known.has(m.id) && rank(known.get(m.id)) > rank(m) ? known.get(m.id) : m));
    renderGroup();
    if (state.selected) await loadPath();
  }

  async function loadPath() {
    if (!state.selected || !state.groupId) {
      state.path = null;
      renderTopology();
      return;
    }
    const selected = state.selected;
    try {
      const answer = await api('GET', `/groups/${state.groupId}/messages/${selected}/path`);
      if (state.selected === selected) state.path = answer.json;
    } catch (e) {
      state.path = null;
      showBanner(e.message);
    }
    renderTopology();
  }

  async function reloadAll() {
    await loadNode();
    await Promise.all([loadGroups(), loadRequests()]);
    await loadDetail();
  }

  // ------------------------------------------------------------------------------------ rendering

  function renderGroups() {
    const list = $('groups');
    list.replaceChildren();
    if (state.groups.length === 0) {
      list.appendChild(make('li', { class: 'empty-list' }, 'No groups yet'));
    }
    for (const g of state.groups) {
      const item = make('li', {
        'data-testid': 'group-item', 'data-group-id': g.id, class: g.id === state.groupId ? 'selected' : null,
        title: g.id,
      });
      item.appendChild(make('span', { 'data-testid': 'group-name' }, g.name));
      const unread = state.unread.get(g.id) || 0;
      const right = make('span');
      if (unread > 0) right.appendChild(make('span', { class: 'unread', 'data-testid': 'group-unread' }, String(unread)));
      right.appendChild(make('span', { class: 'count' }, ` ${g.memberCount}`));
      item.appendChild(right);
      item.addEventListener('click', () => selectGroup(g.id));
      list.appendChild(item);
    }
  }

  function renderRequests() {
    const list = $('join-requests');
    list.replaceChildren();
    $('requests-section').hidden = state.requests.length === 0;
    for (const r of state.requests) {
      const item = make('li', { 'data-testid': 'join-request', 'data-requester': r.requesterId, 'data-group-id': r.group });
      item.appendChild(make('div', {}, `${r.requesterShort} asks to join '${r.groupName}'`));
      item.appendChild(make('code', { title: r.requester }, r.requester.length > 40 ? `${r.requester.slice(0, 40)}…` : r.requester));
      const actions = make('div', { class: 'actions' });
      const accept = make('button', { type: 'button', 'data-testid': 'accept-request' }, 'Accept');
      const reject = make('button', { type: 'button', class: 'danger', 'data-testid': 'reject-request' }, 'Decline');
      const decide = (verb, button) => act(button, async () => {
        await api('POST', `/groups/${r.group}/join-requests/${r.requesterId}/${verb}`, {});
        await loadRequests();
        await loadDetail();
      });
      accept.addEventListener('click', () => decide('accept', accept));
      reject.addEventListener('click', () => decide('reject', reject));
      actions.append(accept, reject);
      item.appendChild(actions);
      list.appendChild(item);
    }
  }

  function renderGroup() {
    const detail = state.detail;
    $('no-group').hidden = Boolean(detail);
    $('group-view').hidden = !detail;
    $('side').hidden = !detail;
    if (!detail) return;
    $('group-title').textContent = detail.name;
    $('group-meta').textContent = `${detail.memberCount} member${detail.memberCount === 1 ? '' : 's'} · ${detail.id.slice(0, 8)}`;
    $('invite').hidden = !detail.owner;
    renderMembers();
    renderMessages();
    renderTopology();
  }

  function renderMembers() {
    const list = $('members');
    list.replaceChildren();
    for (const m of state.detail.members) {
      const item = make('li', { 'data-testid': 'member', 'data-peer-id': m.peerId, 'data-presence': m.presence, title: m.address });
      item.appendChild(make('span', { class: 'dot' }));
      item.appendChild(make('code', {}, m.shortId));
      if (m.self) item.appendChild(make('span', { class: 'me' }, 'me'));
      item.appendChild(make('span', { class: m.owner ? 'role owner' : 'role', 'data-testid': 'member-role' },
        `${m.owner ? 'owner' : 'member'} · ${m.presence.toLowerCase()}`));
      list.appendChild(item);
    }
  }

  function renderMessages() {
    const list = $('messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    list.replaceChildren();
    for (const m of state.messages) {
      list.appendChild(renderMessage(m));
    }
    if (atBottom || state.messages.length < 12) list.scrollTop = list.scrollHeight;
  }

  function renderMessage(m) {
    const classes = [m.mine ? 'mine' : null, m.id === state.selected ? 'selected' : null].filter(Boolean).join(' ');
    const item = make('li', {
      'data-testid': 'message', 'data-message-id': m.id, 'data-status': m.delivery.status, class: classes || null,
      title: 'Click to see the path it took',
    });
    const byline = make('div', { class: 'byline' });
    byline.appendChild(make('span', { 'data-testid': 'message-author' }, m.mine ? 'me' : m.authorShort));
    byline.appendChild(make('time', { datetime: m.sentAt }, new Date(m.sentAt).toLocaleTimeString()));
    item.appendChild(byline);
    item.appendChild(make('div', { class: 'bubble', 'data-testid': 'message-text' }, m.text));
    const missing = m.delivery.status === 'CONFIRMED' && m.delivery.reached < m.delivery.memberCount;
    item.appendChild(make('div', {
      class: missing ? 'delivery missing' : 'delivery', 'data-testid': 'message-delivery', 'data-status': m.delivery.status,
      title: deliveryHelp(m.delivery),
    }, m.delivery.describe));
    item.addEventListener('click', () => selectMessage(m.id));
    return item;
  }

  function renderTopology() {
    const detail = state.detail;
    if (!detail) return;
    $('topology-kind').textContent = detail.topology ? `· ${detail.topology}` : '· none active';
    const path = state.path && state.path.message === state.selected ? state.path : null;
    RingchatTopology.draw($('topology'), detail, path);
    const info = $('path-info');
    if (!path) {
      info.textContent = 'Click a message to see the path it took.';
      return;
    }
    const author = detail.members.find((m) => m.peerId === path.author);
    const who = author && author.self ? 'this node' : path.authorShort;
    const hops = path.steps.reduce((max, s) => Math.max(max, s.hop), 0);
    const seen = path.steps.filter((s) => s.seen).length;
    const down = path.down.length ? `; ${path.down.length} member(s) down, routed round` : '';
    info.textContent = path.topology
      ? `From ${who}: ${path.steps.length} hand-off(s) in ${hops} hop(s) by the ${path.topology} topology${down}. `
        + (path.trace ? `${seen} of them seen by this node.` : 'This node has no trace of it (sent before it started).')
      : 'No topology is active: the hand-offs cannot be shown.';
  }

  // ------------------------------------------------------------------------------------ actions

  async function selectGroup(id) {
    state.groupId = id;
    state.selected = null;
    state.path = null;
    state.unread.delete(id);
    history.replaceState(null, '', `#group=${id}`);
    renderGroups();
    await act(null, loadDetail);
  }

  async function selectMessage(id) {
    state.selected = state.selected === id ? null : id;
    renderMessages();
    await loadPath();
  }

  /** What a delivery stage means, for the tooltip: "acknowledged, 2/5" is not "only 2 of 5 got it". */
  function deliveryHelp(delivery) {
    const all = `${delivery.memberCount}/${delivery.memberCount}`;
    return {
      PENDING: 'Sent; no member has taken it yet.',
      ACKNOWLEDGED: `Taken by the next member, and on its way round; it says confirmed ${all} when it has gone round.`,
      CONFIRMED: 'Gone round the group: the count is how many members hold it.',
      RECEIVED: 'Written by another member and received here.',
    }[delivery.status] || null;
  }

  /** How far a message's delivery got: a view of it is never replaced by an older one. */
  function rank(message) {
    const stage = { PENDING: 0, ACKNOWLEDGED: 1, RECEIVED: 1, CONFIRMED: 2 }[message.delivery.status] || 0;
    return stage * 100000 + message.delivery.reached;
  }

  /**
   * Adds a message or a newer view of it. The answer to a send and a loaded history can arrive after
   * the events that came later (an acknowledged message's answer after its confirmation event, say).
   */
  function upsertMessage(message) {
    const i = state.messages.findIndex((m) => m.id === message.id);
    if (i < 0) {
      state.messages.push(message);
    } else if (rank(message) >= rank(state.messages[i])) {
      state.messages[i] = message;
    }
  }

  function wireForms() {
    $('create-group').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $('create-group-name');
      act(event.submitter, async () => {
        const created = (await api('POST', '/groups', { name: input.value })).json;
        input.value = '';
        await loadGroups();
        await selectGroup(created.id);
      });
    });
    $('send').addEventListener('submit', (event) => {
      event.preventDefault();
      send(event.submitter || document.querySelector('[data-testid="send-submit"]'));
    });
    $('send-text').addEventListener('input', () => { $('send-hint').hidden = true; });
    $('send-text').addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        send(document.querySelector('[data-testid="send-submit"]'));
      }
    });
    $('invite').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = $('invite-address');
      act(event.submitter, async () => {
        state.detail = (await api('POST', `/groups/${state.groupId}/invitations`, { address: input.value.trim() })).json;
        input.value = '';
        renderGroup();
        showBanner('Invited: the new member has joined.', true);
      });
    });
    $('copy-address').addEventListener('click', () => {
      if (navigator.clipboard && state.node) {
        navigator.clipboard.writeText(state.node.address).then(
          () => showBanner('Address copied.', true), () => showBanner('Select the address and copy it.'));
      }
    });
    $('error-close').addEventListener('click', () => { $('error').hidden = true; });
  }

  function send(button) {
    const input = $('send-text');
    const text = input.value;
    if (!state.groupId) return;
    if (!text.trim()) {
      $('send-hint').hidden = false;
      input.focus();
      return;
    }
    const groupId = state.groupId;
    act(button, async () => {
      const answer = await api('POST', `/groups/${groupId}/messages`, { text });
      input.value = '';
      if (answer.status === 202) {
        showBanner(answer.json.info, true);
      } else if (state.groupId === groupId) {
        upsertMessage(answer.json.message);
        renderMessages();
      }
    });
  }

  // ------------------------------------------------------------------------------------ live events

  function connect() {
    const live = $('live');
    const events = new EventSource('/api/events');
    events.addEventListener('hello', () => {
      live.dataset.state = 'live';
      live.textContent = 'live';
      act(null, reloadAll); // whatever happened while not connected
    });
    events.addEventListener('error', () => {
      live.dataset.state = 'offline';
      live.textContent = 'reconnecting';
    });
    events.addEventListener('message', (event) => {
      const message = JSON.parse(event.data);
      if (message.group === state.groupId) {
        upsertMessage(message);
        renderMessages();
        if (message.id === state.selected) loadPath();
      } else if (message.delivery.status === 'RECEIVED') {
        state.unread.set(message.group, (state.unread.get(message.group) || 0) + 1);
        renderGroups();
      }
    });
    events.addEventListener('group', (event) => {
      const group = JSON.parse(event.data);
      act(null, async () => {
        await loadGroups();
        if (group.id === state.groupId || !state.detail) await loadDetail();
      });
    });
    events.addEventListener('join-request', () => act(null, loadRequests));
    events.addEventListener('join-declined', (event) => {
      const declined = JSON.parse(event.data);
      showBanner(`An owner declined the request to join group ${declined.group.slice(0, 8)}.`);
    });
    events.addEventListener('withdrawn', (event) => {
      const message = JSON.parse(event.data);
      if (message.group !== state.groupId) return;
      state.messages = state.messages.filter((m) => m.id !== message.id);
      if (state.selected === message.id) {
        state.selected = null;
        state.path = null;
      }
      renderMessages();
      showBanner(`A message by ${message.authorShort} was withdrawn: its author was removed, and no member `
        + 'that had not heard of it took the message.', true);
    });
    events.addEventListener('removed', (event) => {
      const removed = JSON.parse(event.data);
      showBanner(`This node was removed from '${removed.name}': it no longer sends there.`);
      act(null, loadGroups);
    });
    events.addEventListener('presence', (event) => {
      const change = JSON.parse(event.data);
      const member = state.detail && state.detail.members.find((m) => m.peerId === change.peer);
      if (member) {
        member.presence = change.presence;
        renderMembers();
        if (state.selected) {
          loadPath(); // the plan routes round members that are down
        } else {
          renderTopology();
        }
      }
    });
    events.addEventListener('topology', (event) => {
      $('topology-name').textContent = JSON.parse(event.data).name || 'none';
      act(null, loadDetail);
    });
    events.addEventListener('catching-up', (event) => {
      const progress = JSON.parse(event.data);
      if (progress.group === state.groupId) {
        $('group-meta').textContent = `catching up: ${progress.received}/${progress.total} messages`;
      }
    });
  }

  wireForms();
  act(null, reloadAll);
  connect();
})();
