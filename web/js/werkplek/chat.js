// The agent's event stream in the KCC-werkplek — a screen pop for an incoming call — and the
// chat inbox: the queue of waiting web chats (live over the
// agent's event stream), taking one, the conversation with replies, and closing it — the
// transcript then lands in the register as a klantcontact (kanaal chat), linked to the partij
// shown in the klantbeeld when there is one.
import { api, datum, announce, showErrors, clearErrors, ApiError } from '../app.js';
import { html, render } from '../html.js';
import { KANALEN } from '../paden.js';

const chat = { medewerker: null, gesprek: null, partij: () => null };

/** Starts the inbox for `medewerker`; `partij()` gives the klantbeeld's partij uuid or null;
 * `onScreenpop(pop)` runs when the telephone platform offers this medewerker a call. */
export async function startChatInbox(medewerker, partij, onScreenpop) {
  chat.medewerker = medewerker;
  chat.partij = partij;
  document.getElementById('chat-antwoord').addEventListener('submit', antwoord);
  document.getElementById('chat-afsluiten').addEventListener('click', afsluiten);
  await laadWachtrij();
  const stream = new EventSource(`${KANALEN}/gebeurtenissen?medewerker=${encodeURIComponent(medewerker)}`);
  // The server sends `verbonden` once this stream is registered: from then on nothing is missed.
  const status = document.getElementById('chat-status');
  stream.addEventListener('verbonden', () => { status.dataset.verbonden = 'ja'; });
  stream.addEventListener('error', () => { status.dataset.verbonden = 'nee'; });
  stream.addEventListener('chat-wachtrij', () => { laadWachtrij(); });
  stream.addEventListener('screenpop', (ev) => { if (onScreenpop) onScreenpop(JSON.parse(ev.data)); });
  // The stream could not replay what it missed while disconnected: catch up from the API.
  stream.addEventListener('verouderd', bijwerken);
  stream.addEventListener('chatbericht', (ev) => {
    const d = JSON.parse(ev.data);
    if (chat.gesprek && d.gesprek === chat.gesprek && d.bericht) {
      voegToe(d.bericht);
      announce(`Nieuw chatbericht: ${d.bericht.tekst}`);
    }
  });
}

async function laadWachtrij() {
  const lijst = document.getElementById('chat-wachtrij');
  const r = await api('GET', `${KANALEN}/chat/wachtrij`);
  document.getElementById('chat-status').textContent =
    r.count ? `${r.count} chat${r.count === 1 ? '' : 's'} wacht${r.count === 1 ? '' : 'en'}.` : 'Geen wachtende chats.';
  render(lijst, r.results.map((g) => html`<li>
      <strong>${g.naam || 'Inwoner'}</strong>${g.onderwerp ? `: ${g.onderwerp}` : ''}
      <span class="omk-hint">sinds ${datum(g.aangemaaktOp)}</span>
      <button type="button" class="utrecht-button utrecht-button--secondary-action" data-chat="${g.uuid}">Chat aannemen</button>
    </li>`));
  lijst.querySelectorAll('[data-chat]').forEach((b) => b.addEventListener('click', () => aannemen(b.dataset.chat)));
}

async function aannemen(uuid) {
  document.getElementById('chat-melding').textContent = '';
  await api('POST', `${KANALEN}/chat/sessies/${uuid}/toewijzen`, { medewerker: chat.medewerker });
  chat.gesprek = uuid;
  await laadGesprek();
  await laadWachtrij();
  document.getElementById('chat-tekst').focus();
}

/** Shows the open chat (chat.gesprek) with all its messages. */
async function laadGesprek() {
  const g = await api('GET', `${KANALEN}/gesprekken/${chat.gesprek}`);
  const paneel = document.getElementById('chat-gesprek');
  paneel.hidden = false;
  document.getElementById('chat-met').textContent = `Chat met ${g.naam || 'inwoner'}${g.onderwerp ? ` over ${g.onderwerp}` : ''}`;
  document.getElementById('chat-berichten').replaceChildren();
  for (const b of g.berichten || []) voegToe(b);
}

/** After a reconnect whose missed events the server no longer had: reloads the queue and the
 * open chat; a screen pop that was missed cannot come back, so the agent is told. */
async function bijwerken() {
  await laadWachtrij();
  if (chat.gesprek) await laadGesprek();
  announce('De verbinding was even weg. Wachtrij en chat zijn bijgewerkt; een gemiste oproep ziet u niet terug.');
}

function voegToe(b) {
  const li = document.createElement('li');
  const wie = b.richting === 'uit' ? (b.afzender || chat.medewerker) : 'Inwoner';
  render(li, html`<strong>${wie}:</strong> ${b.tekst}`);
  document.getElementById('chat-berichten').append(li);
}

async function antwoord(ev) {
  ev.preventDefault();
  const form = ev.target;
  clearErrors(form);
  const tekst = form.elements['chat-tekst'].value.trim();
  if (!tekst) {
    showErrors(form, new ApiError(400, { invalidParams: [{ name: 'chat-tekst', reason: 'Typ eerst een antwoord.' }] }));
    return;
  }
  try {
    const b = await api('POST', `${KANALEN}/gesprekken/${chat.gesprek}/berichten`, { tekst });
    voegToe(b.bericht || b);
    form.elements['chat-tekst'].value = '';
  } catch (e) {
    showErrors(form, e);
  }
}

async function afsluiten() {
  const partij = chat.partij();
  const r = await api('POST', `${KANALEN}/chat/sessies/${chat.gesprek}/afsluiten`, partij ? { partij: { uuid: partij } } : {});
  document.getElementById('chat-gesprek').hidden = true;
  chat.gesprek = null;
  document.getElementById('chat-melding').textContent =
    r.klantcontact ? 'Chat afgesloten en vastgelegd als klantcontact.' : 'Chat afgesloten.';
  await laadWachtrij();
}
