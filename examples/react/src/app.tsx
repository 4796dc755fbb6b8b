// SPDX-License-Identifier: Apache-2.0
/**
 * A hospital's React page with Kindred on it. React renders `<kindred-chat>` like any element:
 * attributes as props, events through React 19's `on<event-name>` props on custom elements, and
 * the element's methods through a ref. The page hears state only (open, closed, waiting…), never
 * what is said: the conversation runs in the relay's cross-origin frame.
 */
import { useRef, useState } from 'react';
import type { ChatState, KindredChat } from '@kindred/widget/kindred-chat.js';

/** How the page words each chat state beside its own "Talk to a peer" button. */
const stateText: Record<ChatState, string> = {
  idle: 'Nobody is waiting: you can start a chat at any time.',
  connecting: 'Connecting you…',
  waiting: 'You are in the queue for a peer.',
  chatting: 'You are talking with a peer.',
  ended: 'Your chat has ended. You can start another at any time.',
};

export function App() {
  const chat = useRef<KindredChat>(null);
  const [open, setOpen] = useState(false);
  const [state, setState] = useState<ChatState>('idle');

  return (
    <>
      <header className="site-header">
        <p className="site-name">St Example Hospital</p>
        <nav aria-label="Main">
          <a href="#care">Care after an injury</a> <a href="#visit">Visiting</a>
        </nav>
      </header>
      <main>
        <h1>Support after trauma</h1>
        <p>
          Recovering from a serious injury or an assault can feel lonely. Our peer volunteers have been through
          something similar, and are trained to listen.
        </p>
        <h2 id="care">Talk to a peer</h2>
        <p>You do not need to give your name, and the conversation is not recorded.</p>
        {/* The page's own button opens the same chat as the launcher, through the element's method. */}
        <button type="button" onClick={() => void chat.current?.show()} disabled={open}>
          {open ? 'The chat is open' : 'Talk to a peer now'}
        </button>
        <p role="status">{stateText[state]}</p>
        <h2 id="visit">Visiting hours</h2>
        <p>Every day, 10:00 to 20:00.</p>
      </main>
      <kindred-chat
        ref={chat}
        exit-url="https://www.bbc.co.uk/weather"
        onkindred-open={() => setOpen(true)}
        onkindred-close={() => setOpen(false)}
        onkindred-state={(event) => setState(event.state)}
      />
    </>
  );
}
