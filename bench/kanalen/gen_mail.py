#!/usr/bin/env python3
"""Writes N realistic RFC 5322 messages for the mail benchmark into DIR: residents writing to
the municipality — plain text (UTF-8 and ISO-8859-1 quoted-printable), multipart/alternative
with HTML, replies in threads (In-Reply-To/References), and one in five with a PDF or JPEG
attachment of 20-200 KB (base64). Deterministic for a seed. Usage: gen_mail.py DIR N [SEED]"""
import base64, os, random, sys

def main():
    out, n = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    os.makedirs(out, exist_ok=True)
    names = ["Anna Bakker", "Mohamed el Idrissi", "Sanne de Vries", "Piet Jansen", "Fatma Yilmaz", "Jeroen van Dijk"]
    topics = ["Afvalpas kwijt", "Parkeervergunning", "Bezwaar WOZ", "Verhuizing doorgeven", "Grofvuil ophalen",
              "Paspoort aanvragen", "Kapvergunning", "Bijstand", "Geluidsoverlast", "Lantaarnpaal kapot"]
    body = ("Geachte heer/mevrouw,\n\nIk heb een vraag over {t}. Kunt u mij laten weten hoe ik dit moet regelen? "
            "Ik woon sinds kort in de gemeente en weet niet goed waar ik moet beginnen. Alvast bedankt voor uw hulp.\n\n"
            "Met vriendelijke groet,\n{n}\n")
    sent = []
    for i in range(n):
        name = rnd.choice(names)
        addr = name.lower().replace(" ", ".") + f"{rnd.randrange(200)}@example.org"
        topic = rnd.choice(topics)
        mid = f"bench-{i}@example.org"
        hdr = [f'From: "{name}" <{addr}>', "To: info@gemeente.test", f"Message-ID: <{mid}>",
               f"Date: Mon, 30 Nov 2026 {8 + i % 9:02d}:{i % 60:02d}:00 +0100", "MIME-Version: 1.0"]
        subject = topic
        if sent and rnd.random() < 0.3:
            parent = rnd.choice(sent[-50:])
            hdr += [f"In-Reply-To: <{parent}>", f"References: <{parent}>"]
            subject = "Re: " + topic
        hdr.append(f"Subject: {subject}")
        text = body.format(t=topic.lower(), n=name)
        kind = rnd.random()
        if kind < 0.2:
            size = rnd.randrange(20_000, 200_000)
            blob = base64.encodebytes(bytes(rnd.getrandbits(8) for _ in range(size))).decode()
            fn, ct = (("scan.pdf", "application/pdf") if rnd.random() < 0.5 else ("foto.jpg", "image/jpeg"))
            hdr.append('Content-Type: multipart/mixed; boundary="b1"')
            msg = "\r\n".join(hdr) + "\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + \
                text.replace("\n", "\r\n") + f"\r\n--b1\r\nContent-Type: {ct}; name=\"{fn}\"\r\n" \
                f"Content-Disposition: attachment; filename=\"{fn}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + \
                blob.replace("\n", "\r\n") + "--b1--\r\n"
            data = msg.encode()
        elif kind < 0.5:
            html = "<html><body><p>" + text.replace("\n\n", "</p><p>") + "</p></body></html>"
            hdr.append('Content-Type: multipart/alternative; boundary="alt"')
            msg = "\r\n".join(hdr) + "\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + \
                text.replace("\n", "\r\n") + "\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + \
                html + "\r\n--alt--\r\n"
            data = msg.encode()
        elif kind < 0.7:
            hdr += ["Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable"]
            qp = text.replace("é", "=E9").replace("\n", "\r\n")
            data = ("\r\n".join(hdr) + "\r\n\r\n" + qp + " Caf=E9.\r\n").encode("latin-1")
        else:
            hdr.append("Content-Type: text/plain; charset=utf-8")
            data = ("\r\n".join(hdr) + "\r\n\r\n" + text.replace("\n", "\r\n") + " Café.\r\n").encode()
        with open(os.path.join(out, f"{i:06d}.eml"), "wb") as f:
            f.write(data)
        sent.append(mid)

if __name__ == "__main__":
    main()
