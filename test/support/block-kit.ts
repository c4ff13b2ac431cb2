import { expect } from 'chai';

type Json = Record<string, unknown>;

const TEXT_LIMITS = {
  header: 150,
  section: 3000,
  field: 2000,
  context: 2000,
  button: 75,
  label: 2000,
  placeholder: 150,
  hint: 2000,
};

function plain(value: unknown, max: number, where: string): void {
  const obj = value as Json;
  expect(obj?.type, `${where}: plain_text`).to.equal('plain_text');
  expect(String(obj.text).length, `${where}: length`).to.be.within(1, max);
}

function text(value: unknown, max: number, where: string): void {
  const obj = value as Json;
  expect(['plain_text', 'mrkdwn'], `${where}: text type`).to.include(obj?.type);
  expect(String(obj.text).length, `${where}: length`).to.be.within(1, max);
}

function element(el: Json, where: string, actionIds: Set<string>): void {
  if (el.type === 'button') {
    plain(el.text, TEXT_LIMITS.button, `${where} button`);
    expect(String(el.action_id).length).to.be.within(1, 255);
    expect(actionIds.has(String(el.action_id)), `${where}: action_id ${el.action_id} unique`).to.equal(false);
    actionIds.add(String(el.action_id));
    if (el.value !== undefined) expect(String(el.value).length).to.be.at.most(2000);
    if (el.style !== undefined) expect(['primary', 'danger']).to.include(el.style);
    if (el.confirm) {
      const c = el.confirm as Json;
      plain(c.title, 100, `${where} confirm title`);
      text(c.text, 300, `${where} confirm text`);
      plain(c.confirm, 30, `${where} confirm button`);
      plain(c.deny, 30, `${where} deny button`);
    }
    return;
  }
  if (el.type === 'plain_text_input') {
    expect(String(el.action_id).length).to.be.within(1, 255);
    if (el.placeholder) plain(el.placeholder, TEXT_LIMITS.placeholder, `${where} placeholder`);
    if (el.min_length !== undefined) expect(el.min_length as number).to.be.within(0, 3000);
    if (el.max_length !== undefined) expect(el.max_length as number).to.be.within(1, 3000);
    return;
  }
  if (el.type === 'static_select') {
    // Slack's limits for a static select: up to 100 options, each text at most 75 and value at most 150 characters.
    expect(String(el.action_id).length).to.be.within(1, 255);
    const options = el.options as Json[];
    expect(options.length, `${where}: options`).to.be.within(1, 100);
    for (const option of options) {
      plain(option.text, 75, `${where} option`);
      expect(String(option.value).length, `${where} option value`).to.be.within(1, 150);
    }
    if (el.initial_option !== undefined)
      expect(options, `${where}: initial_option is one of the options`).to.deep.include(el.initial_option);
    if (el.placeholder) plain(el.placeholder, TEXT_LIMITS.placeholder, `${where} placeholder`);
    return;
  }
  expect.fail(`${where}: unexpected element type ${String(el.type)}`);
}

/** Checks blocks against Slack's published Block Kit limits; `surface` sets the block count limit. */
export function assertValidBlocks(blocks: unknown, surface: 'message' | 'modal' | 'home' = 'message'): void {
  expect(blocks, 'blocks').to.be.an('array');
  const list = blocks as Json[];
  expect(list.length).to.be.within(1, surface === 'message' ? 50 : 100);
  const blockIds = new Set<string>();
  const actionIds = new Set<string>();
  list.forEach((block, i) => {
    const where = `block ${i} (${String(block.type)})`;
    if (block.block_id !== undefined) {
      expect(blockIds.has(String(block.block_id)), `${where}: unique block_id`).to.equal(false);
      blockIds.add(String(block.block_id));
      expect(String(block.block_id).length).to.be.within(1, 255);
    }
    switch (block.type) {
      case 'header':
        plain(block.text, TEXT_LIMITS.header, where);
        break;
      case 'section':
        expect(block.text !== undefined || block.fields !== undefined, `${where}: text or fields`).to.equal(true);
        if (block.text) text(block.text, TEXT_LIMITS.section, where);
        if (block.fields) {
          expect((block.fields as Json[]).length).to.be.within(1, 10);
          for (const field of block.fields as Json[]) text(field, TEXT_LIMITS.field, `${where} field`);
        }
        if (block.accessory) element(block.accessory as Json, where, actionIds);
        break;
      case 'context':
        expect((block.elements as Json[]).length).to.be.within(1, 10);
        for (const el of block.elements as Json[]) text(el, TEXT_LIMITS.context, where);
        break;
      case 'actions':
        expect((block.elements as Json[]).length).to.be.within(1, 25);
        for (const el of block.elements as Json[]) element(el, where, actionIds);
        break;
      case 'divider':
        break;
      case 'input':
        plain(block.label, TEXT_LIMITS.label, `${where} label`);
        if (block.hint) plain(block.hint, TEXT_LIMITS.hint, `${where} hint`);
        element(block.element as Json, where, actionIds);
        break;
      default:
        expect.fail(`${where}: unexpected block type`);
    }
  });
}

/** Checks a modal or home view: its own limits, then its blocks. */
export function assertValidView(view: unknown): void {
  const v = view as Json;
  expect(['modal', 'home']).to.include(v.type);
  if (v.type === 'modal') {
    plain(v.title, 24, 'modal title');
    if (v.submit) plain(v.submit, 24, 'modal submit');
    if (v.close) plain(v.close, 24, 'modal close');
    expect(String(v.callback_id ?? '').length).to.be.at.most(255);
  }
  if (v.private_metadata !== undefined) expect(String(v.private_metadata).length).to.be.at.most(3000);
  assertValidBlocks(v.blocks, v.type === 'modal' ? 'modal' : 'home');
}
