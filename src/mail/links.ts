import { signLink, type LinkClaims, type Sign } from '../core/mail/tokens.ts';

/** A case page a mail points at: the resident site by reference, or the staff console by id. */
export interface ViewTarget {
  audience: 'resident' | 'staff';
  case_id: string;
  reference: string;
}

/** Turns the claims stored in an outbox row into the URLs of the mail, at delivery. */
export interface LinkBuilder {
  sign: Sign;
  action(claims: LinkClaims): string;
  view(target: ViewTarget): string;
}

/**
 * Links go to the server's HTML pages under /mail (a confirm or unsubscribe page with a button),
 * never straight to an API that acts on GET: mail scanners open links, people press buttons.
 * One-click unsubscribe (RFC 8058) POSTs to the same URL.
 */
export function makeLinkBuilder(publicUrl: string, sign: Sign): LinkBuilder {
  const base = publicUrl.replace(/\/+$/, '');
  return {
    sign,
    action(claims) {
      const page = claims.p === 'unsubscribe' ? 'unsubscribe' : 'confirm';
      return `${base}/mail/${page}?token=${encodeURIComponent(signLink(claims, sign))}`;
    },
    view(target) {
      return target.audience === 'staff'
        ? `${base}/console/cases/${encodeURIComponent(target.case_id)}`
        : `${base}/?reference=${encodeURIComponent(target.reference)}`;
    },
  };
}
