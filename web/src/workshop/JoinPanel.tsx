import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { joinPath } from '../app/router.js';

/** What a phone can do in a workshop, said where the students scan (and again on the join page). */
export const PHONE_NOTE = 'Phones can follow the lessons and watch runs; writing and running a jail needs a laptop.';

/**
 * The join code, big enough to read off a projector, the join link, and a QR code of it. Once the room is in,
 * the instructor can fold it to one line (the code stays readable for latecomers) and give the screen to the grid.
 */
export function JoinPanel({ code, roomIn }: { code: string; roomIn: boolean }) {
  const link = `${location.origin}${joinPath(code)}`;
  const spaced = `${code.slice(0, 3)} ${code.slice(3)}`;
  const [svg, setSvg] = useState<string | null>(null);
  // Folded from the start on a dashboard opened with the room already in; unfolded for a new room.
  const [folded, setFolded] = useState(roomIn);
  useEffect(() => {
    let live = true;
    QRCode.toString(link, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then(
      (s) => live && setSvg(s),
      () => live && setSvg(null),
    );
    return () => {
      live = false;
    };
  }, [link]);
  const toggle = (
    <button type="button" className="button button-quiet button-small join-fold" data-testid="join-fold" aria-expanded={!folded} onClick={() => setFolded((f) => !f)}>
      {folded ? 'Show the code and QR code' : 'Fold away'}
    </button>
  );
  if (folded)
    return (
      <section className="join-panel join-panel-folded" aria-label="How students join" data-testid="join-panel" data-folded="true">
        <span>
          Join at <a href={link} data-testid="join-link">{link}</a> · code <strong className="join-code-small" data-testid="join-code-small">{spaced}</strong>
        </span>
        {toggle}
      </section>
    );
  return (
    <section className="join-panel" aria-label="How students join" data-testid="join-panel" data-folded="false">
      <div id="join-panel-body">
        <div className="join-panel-label">Join at {location.host}/join with the code</div>
        <div className="join-code-big" data-testid="join-code-big">
          {spaced}
        </div>
        <a className="join-link" href={link} data-testid="join-link">
          {link}
        </a>
        <p className="join-phone-note" data-testid="join-phone-note">
          {PHONE_NOTE}
        </p>
      </div>
      {svg && <div className="join-qr" role="img" aria-label={`QR code for ${link}`} dangerouslySetInnerHTML={{ __html: svg }} />}
      {toggle}
    </section>
  );
}
