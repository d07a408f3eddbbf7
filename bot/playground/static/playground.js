// The careerbot playground page: sends commands and button presses, completes what is typed,
// and follows the channel feed. Plain ES2020, no framework; no inline handlers (the page's
// Content-Security-Policy forbids them). Every fragment of HTML inserted here was rendered and
// escaped by the server's html/template; text from the page itself is set with textContent.
'use strict';

(() => {
  const form = document.getElementById('command-form');
  const input = document.getElementById('command');
  const list = document.getElementById('suggestions');
  const transcript = document.getElementById('transcript');
  const feedPosts = document.getElementById('feed-posts');
  const feedEmpty = document.querySelector('.feed-empty');
  const sampleButton = document.getElementById('load-sample');
  const feedStatus = document.getElementById('feed-status');
  if (!form || !input || !list || !transcript || !feedPosts) {
    return;
  }

  // Requests.

  async function postJSON(url, body) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (!res.ok) {
      throw new Error((data && data.error) || `The server answered ${res.status}. Try again.`);
    }
    return data;
  }

  // The transcript.

  // appendHTML adds a fragment the server rendered; a reply the visitor asked for is scrolled
  // into view, a post that arrived on its own is not, so it never pulls the page away.
  function appendHTML(container, html, reveal) {
    container.insertAdjacentHTML('beforeend', html);
    const added = container.lastElementChild;
    if (added && reveal) {
      added.scrollIntoView({ block: 'nearest' });
    }
    return added;
  }

  function appendError(said, message) {
    const article = document.createElement('article');
    article.className = 'reply reply-error';
    const p = document.createElement('p');
    p.className = 'said';
    p.textContent = said;
    const body = document.createElement('p');
    body.className = 'error';
    body.textContent = message;
    article.append(p, body);
    transcript.append(article);
    article.scrollIntoView({ block: 'nearest' });
  }

  let busy = false;

  async function run(url, body, said) {
    if (busy) {
      return;
    }
    busy = true;
    transcript.setAttribute('aria-busy', 'true');
    try {
      const data = await postJSON(url, body);
      appendHTML(transcript, data.html, true);
    } catch (err) {
      appendError(said, err.message);
    } finally {
      busy = false;
      transcript.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (text === '') {
      return;
    }
    closeSuggestions();
    input.value = '';
    run('/playground/command', { text }, text.startsWith('/') ? text : `/${text}`);
    input.focus();
  });

  // Buttons in replies and posts run their action; the examples fill the command box.
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) {
      return;
    }
    const button = target.closest('button.reply-button');
    if (button && button.dataset.action) {
      run('/playground/press', { action: button.dataset.action }, button.textContent || '');
      return;
    }
    const example = target.closest('button.example');
    if (example && example.dataset.line) {
      input.value = example.dataset.line;
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
      scheduleSuggestions();
    }
  });

  // Autocomplete: a combobox with a listbox of suggestions.

  let suggestions = [];
  let active = -1;
  let timer = 0;
  let asked = 0;

  function closeSuggestions() {
    clearTimeout(timer);
    asked += 1;
    suggestions = [];
    active = -1;
    list.replaceChildren();
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function showSuggestions(items) {
    suggestions = items;
    active = -1;
    list.replaceChildren();
    if (items.length === 0) {
      closeSuggestions();
      return;
    }
    items.forEach((item, i) => {
      const li = document.createElement('li');
      li.id = `suggestion-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.value = item.value;
      const label = document.createElement('span');
      label.className = 'suggestion-label';
      label.textContent = item.label;
      li.append(label);
      if (item.detail) {
        const detail = document.createElement('span');
        detail.className = 'suggestion-detail';
        detail.textContent = item.detail;
        li.append(detail);
      }
      list.append(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function setActive(i) {
    const items = list.querySelectorAll('li[role="option"]');
    if (items.length === 0) {
      return;
    }
    active = (i + items.length) % items.length;
    items.forEach((li, j) => li.setAttribute('aria-selected', j === active ? 'true' : 'false'));
    input.setAttribute('aria-activedescendant', items[active].id);
    items[active].scrollIntoView({ block: 'nearest' });
  }

  function pick(value) {
    input.value = value;
    closeSuggestions();
    input.focus();
    input.setSelectionRange(value.length, value.length);
    if (value.endsWith(' ')) {
      scheduleSuggestions();
    }
  }

  async function fetchSuggestions() {
    const text = input.value;
    const ask = ++asked;
    if (text.trim() === '') {
      closeSuggestions();
      return;
    }
    try {
      const res = await fetch(`/playground/complete?text=${encodeURIComponent(text)}`, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!res.ok) {
        return;
      }
      const items = await res.json();
      if (ask === asked && document.activeElement === input && Array.isArray(items)) {
        showSuggestions(items);
      }
    } catch (_) {
      // Suggestions are a help, not a necessity: typing still works.
    }
  }

  function scheduleSuggestions() {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  }

  input.addEventListener('input', scheduleSuggestions);
  input.addEventListener('keydown', (event) => {
    const open = !list.hidden && suggestions.length > 0;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (open) {
          setActive(active + 1);
        } else {
          fetchSuggestions();
        }
        break;
      case 'ArrowUp':
        if (open) {
          event.preventDefault();
          setActive(active - 1);
        }
        break;
      case 'Enter':
        if (open && active >= 0) {
          event.preventDefault();
          pick(suggestions[active].value);
        }
        break;
      case 'Tab':
        if (open && !event.shiftKey) {
          event.preventDefault();
          pick(suggestions[Math.max(active, 0)].value);
        }
        break;
      case 'Escape':
        if (open) {
          event.preventDefault();
          closeSuggestions();
        }
        break;
      default:
    }
  });
  input.addEventListener('blur', () => {
    // Later than a click on a suggestion, which keeps the focus on the input anyway.
    setTimeout(() => {
      if (document.activeElement !== input) {
        closeSuggestions();
      }
    }, 150);
  });
  // A press on a suggestion must not take the focus from the input.
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const li = event.target instanceof Element ? event.target.closest('li[role="option"]') : null;
    if (li && li.dataset.value !== undefined) {
      pick(li.dataset.value);
    }
  });

  // The channel feed: server-sent events, polling when they keep failing.

  let lastID = Number(feedPosts.dataset.lastId || '0') || 0;

  function setStatus(text) {
    if (feedStatus) {
      feedStatus.textContent = text;
    }
  }

  function addPost(p) {
    if (!p || typeof p.id !== 'number' || p.id <= lastID) {
      return;
    }
    lastID = p.id;
    feedPosts.dataset.lastId = String(lastID);
    appendHTML(feedPosts, p.html, false);
    if (feedEmpty) {
      feedEmpty.hidden = true;
    }
  }

  let polling = 0;

  async function poll() {
    try {
      const res = await fetch(`/playground/feed?after=${lastID}`, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (res.ok) {
        const posts = await res.json();
        if (Array.isArray(posts)) {
          posts.forEach(addPost);
        }
      }
    } catch (_) {
      // The next poll tries again.
    }
  }

  function startPolling() {
    if (polling) {
      return;
    }
    setStatus('Live updates are unavailable; the feed is checked every 5 seconds.');
    poll();
    polling = setInterval(poll, 5000);
  }

  function follow() {
    if (typeof EventSource === 'undefined') {
      startPolling();
      return;
    }
    const source = new EventSource(`/playground/events?after=${lastID}`);
    let failures = 0;
    source.addEventListener('open', () => {
      failures = 0;
    });
    source.addEventListener('post', (event) => {
      failures = 0;
      try {
        addPost(JSON.parse(event.data));
      } catch (_) {
        // A post the page cannot read is skipped; the next one still arrives.
      }
    });
    source.addEventListener('error', () => {
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures >= 3) {
        source.close();
        startPolling();
      }
    });
  }

  follow();

  // The sample openings.

  if (sampleButton) {
    sampleButton.addEventListener('click', async () => {
      sampleButton.disabled = true;
      setStatus('Loading the sample openings…');
      try {
        const data = await postJSON('/playground/sample', {});
        const n = data && typeof data.loaded === 'number' ? data.loaded : 0;
        setStatus(`Loaded ${n} sample opening${n === 1 ? '' : 's'}. Those that match a subscription of this channel appear here as they are delivered.`);
      } catch (err) {
        setStatus(err.message);
        sampleButton.disabled = false;
      }
    });
  }
})();
