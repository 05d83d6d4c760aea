import { useEffect, useState } from 'react';
import QRCode from 'qrcode';
import { joinPath } from '../app/router.js';

/** The join code, big enough to read off a projector, the join link, and a QR code of it. */
export function JoinPanel({ code }: { code: string }) {
  const link = `${location.origin}${joinPath(code)}`;
  const [svg, setSvg] = useState<string | null>(null);
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
  return (
    <section className="join-panel" aria-label="How students join">
      <div>
        <div className="join-panel-label">Join at {location.host}/join with the code</div>
        <div className="join-code-big" data-testid="join-code-big">
          {code.slice(0, 3)} {code.slice(3)}
        </div>
        <a className="join-link" href={link} data-testid="join-link">
          {link}
        </a>
      </div>
      {svg && <div className="join-qr" role="img" aria-label={`QR code for ${link}`} dangerouslySetInnerHTML={{ __html: svg }} />}
    </section>
  );
}
