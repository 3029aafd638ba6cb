// KCC-werkplek: find a resident or business, see the klantbeeld, register a contactmoment with
// one or more questions (kennisbank articles used per question), hand over as a contactverzoek,
// and answer web chats (with a screen pop for an incoming call). One module per feature in
// werkplek/; this entry wires them together, and werkplek/staat.js holds what they share.
import { requireSession } from './app.js';
import { staat } from './werkplek/staat.js';
import { koppelZoeken, schermpop } from './werkplek/zoeken.js';
import { laadActoren, koppelOverdracht } from './werkplek/overdracht.js';
import { herstelConcept, koppelContactmoment, voegArtikelToe } from './werkplek/contactmoment.js';
import { koppelKennisbank } from './werkplek/kennisbank.js';
import { startChatInbox } from './werkplek/chat.js';

staat.sessie = await requireSession(['kcm']);
await laadActoren();
herstelConcept();
koppelZoeken();
koppelContactmoment();
koppelOverdracht();
koppelKennisbank(voegArtikelToe);
await startChatInbox(staat.sessie.gebruikersnaam, () => (staat.partij ? staat.partij.uuid : null), schermpop);
