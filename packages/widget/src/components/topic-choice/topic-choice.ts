// SPDX-License-Identifier: Apache-2.0
/**
 * The survivor's optional choice of a topic and a language, on the chat's first screen next to
 * the safety question, and how both read wherever they are shown (the console's list and
 * offers too). A render function, like the resource card, so it lives in its host's shadow root
 * and costs the frame a few hundred bytes.
 *
 * Native `<select>`s with visible labels: keyboard, screen readers and phones handle them as
 * people expect, and "No preference" is the first option of each, so skipping is doing nothing.
 * The topic list shows only when the hospital configures topics, the language list only when it
 * configures two languages or more (a choice of one is none). Each language is named in itself
 * ("Español", "العربية", marked with its `lang`), as language pickers do: someone looking for
 * their language finds it written the way they read it.
 */
import type { HospitalInfo, Topic } from '@kindred/protocol';
import { html, nothing } from 'lit';
import { strings } from '../../internal/strings.js';

/** What the survivor chose; undefined is "no preference". */
export interface TopicChoice {
  topic?: string | undefined;
  language?: string | undefined;
}

/** `tag`'s name in `inLanguage` ("Spanish", or "Español" in itself); the tag when the browser cannot say. */
export function languageName(tag: string, inLanguage: string = tag): string {
  try {
    const name = new Intl.DisplayNames([inLanguage], { type: 'language' }).of(tag) ?? tag;
    return name.charAt(0).toLocaleUpperCase(inLanguage) + name.slice(1);
  } catch {
    return tag;
  }
}

/** A topic's label in `language` (its `labels`, by exact tag then by primary language), else its `label`. */
export function topicLabel(topic: Topic, language: string): string {
  const labels = topic.labels ?? {};
  return labels[language] ?? labels[language.split('-')[0]!] ?? topic.label;
}

/**
 * The hospital's language that the chat's own is written in (`tags`, best first: the language
 * the page asked for, then the one the chat shows), to preselect; undefined when none is
 * offered. Compared by primary language: a page in `pt-BR` preselects a hospital's `pt`.
 */
export function preselectLanguage(languages: readonly string[], tags: ReadonlyArray<string | null | undefined>): string | undefined {
  const primary = (tag: string) => tag.toLowerCase().split('-')[0];
  for (const tag of tags) {
    const found = tag ? (languages.find((each) => each.toLowerCase() === tag.toLowerCase()) ?? languages.find((each) => primary(each) === primary(tag))) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** One labelled list whose first option is "No preference" (the value ''). */
function renderSelect(id: keyof TopicChoice, label: string, chosen: string | undefined, options: Array<[value: string, text: string, lang?: string]>, onChange: (event: Event) => void) {
  return html`<label for=${id}>${label}</label>
    <select id=${id} @change=${onChange}>
      <option value="">${strings.noPreference}</option>
      ${options.map(([value, text, lang]) => html`<option .value=${value} lang=${lang ?? nothing} ?selected=${chosen === value}>${text}</option>`)}
    </select>`;
}

/**
 * The two optional lists, or nothing when the hospital offers no choice. `language` is the
 * chat's own language, for the topics' labels; `onChange` receives the one choice that changed.
 */
export function renderTopicChoice(hospital: HospitalInfo | undefined, choice: TopicChoice, language: string, onChange: (change: TopicChoice) => void) {
  const topics = hospital?.topics ?? [];
  const languages = hospital?.languages ?? [];
  if (topics.length === 0 && languages.length < 2) return nothing;
  // Only what changed: two changes before the next render must not undo each other.
  const change = (key: keyof TopicChoice) => (event: Event) => onChange({ [key]: (event.target as HTMLSelectElement).value || undefined });
  return html`<fieldset class="topic-choice">
    <legend>${strings.choiceLegend}</legend>
    ${topics.length > 0 ? renderSelect('topic', strings.topicLabel, choice.topic, topics.map((topic) => [topic.id, topicLabel(topic, language)]), change('topic')) : nothing}
    ${languages.length > 1 ? renderSelect('language', strings.languageLabel, choice.language, languages.map((tag) => [tag, languageName(tag), tag]), change('language')) : nothing}
  </fieldset>`;
}
