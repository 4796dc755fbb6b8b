// SPDX-License-Identifier: Apache-2.0
/**
 * One place to get help, drawn the same way wherever it appears: the survivor's waiting room,
 * the "no peer on duty" screen, and the card a peer shares into a conversation (on both
 * sides). A render function, like the message list, so it lives in its host's shadow root.
 *
 * Everything goes in through Lit's text bindings. The phone number becomes a `tel:` link of
 * digits and `+` only, and the web address a link only when it is https (`internal/hospital.ts`);
 * anything else stays visible as text, so nothing from configuration can become markup or a
 * script URL.
 */
import type { Resource } from '@kindred/protocol';
import { html, nothing, type TemplateResult } from 'lit';
import { telHref } from '../../internal/hospital.js';
import { httpsHref } from '../../internal/https-url.js';
import { strings } from '../../internal/strings.js';

function renderPhone(phone: string | undefined): TemplateResult | typeof nothing {
  if (!phone) return nothing;
  const href = telHref(phone);
  const call = strings.callPhone({ phone });
  return html`<p class="resource-phone">${href ? html`<a href=${href}>${call}</a>` : call}</p>`;
}

function renderWebsite(resource: Resource): TemplateResult | typeof nothing {
  if (!resource.url) return nothing;
  const href = httpsHref(resource.url);
  if (!href) return html`<p class="resource-url">${resource.url}</p>`;
  return html`<p class="resource-url">
    <a href=${href} target="_blank" rel="noopener noreferrer nofollow" referrerpolicy="no-referrer"
      >${strings.visitWebsite}<span class="visually-hidden">: ${resource.name} ${strings.opensInNewTab}</span></a
    >
  </p>`;
}

/** The body of one resource: name, description, phone link, web link, hours. */
export function renderResource(resource: Resource): TemplateResult {
  return html`<div class="resource">
    <p class="resource-name">${resource.name}</p>
    ${resource.description ? html`<p class="resource-description">${resource.description}</p>` : nothing}
    ${renderPhone(resource.phone)} ${renderWebsite(resource)}
    ${resource.hours ? html`<p class="resource-hours">${strings.hours({ hours: resource.hours })}</p>` : nothing}
  </div>`;
}

/** A list of resources (the waiting room and the "no peer on duty" screen). */
export function renderResourceList(resources: readonly Resource[]): TemplateResult | typeof nothing {
  if (resources.length === 0) return nothing;
  return html`<ul class="resources">
    ${resources.map((resource) => html`<li>${renderResource(resource)}</li>`)}
  </ul>`;
}
