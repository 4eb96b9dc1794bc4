import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeManagedLoginBrandingByClientCommand,
  GetUICustomizationCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { translateTemplate } from '../../src/services/cloudformation/topology.js';
import { startTestIdp } from '../helpers/idp.js';
import { png } from '../hosted-ui/brandingImages.js';

const CSS = '.submitButton-customizable { background-color: #2e7d32 }';
const LOGO = png(8, 8, [46, 125, 50]);

const template = (css: string) => ({
  Resources: {
    Pool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolName: 'branded' } },
    Client: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: { UserPoolId: { Ref: 'Pool' }, ClientName: 'web' },
    },
    Domain: {
      Type: 'AWS::Cognito::UserPoolDomain',
      Properties: { UserPoolId: { Ref: 'Pool' }, Domain: 'branded-demo' },
    },
    Look: {
      Type: 'AWS::Cognito::UserPoolUICustomizationAttachment',
      DependsOn: 'Domain',
      Properties: { UserPoolId: { Ref: 'Pool' }, ClientId: { Ref: 'Client' }, CSS: css },
    },
    Style: {
      Type: 'AWS::Cognito::ManagedLoginBranding',
      Properties: {
        UserPoolId: { Ref: 'Pool' },
        ClientId: { Ref: 'Client' },
        Settings: { components: { pageBackground: { lightMode: { color: '1e3a5fff' } } } },
        Assets: [
          { Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: LOGO.toString('base64') },
        ],
      },
    },
  },
});

const translate = (css: string) =>
  translateTemplate(template(css), {
    stackName: 'BrandedStack',
    region: 'us-east-1',
    accountId: '000000000000',
    assetBaseDir: tmpdir(),
  }).topology;

/** The two branding resource types of a template, applied when the local cloud provisions the stack's pools. */
describe('branding from a CloudFormation template', () => {
  it('applies a UICustomizationAttachment and a ManagedLoginBranding to the client, without a warning', async () => {
    const topology = translate(CSS);
    expect(topology.warnings ?? []).toEqual([]);
    const pool = topology.userPools[0];
    const client = pool?.clients[0]?.id as string;
    expect(pool?.uiCustomizations).toEqual([{ logicalId: 'Look', clientId: client, css: CSS }]);
    const idp = await startTestIdp({ topology });
    try {
      const ui = await idp.sdk.send(
        new GetUICustomizationCommand({ UserPoolId: pool?.id, ClientId: client }),
      );
      expect(ui.UICustomization).toMatchObject({ ClientId: client, CSS });
      const style = await idp.sdk.send(
        new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: pool?.id, ClientId: client }),
      );
      expect(style.ManagedLoginBranding?.Settings).toEqual({
        components: { pageBackground: { lightMode: { color: '1e3a5fff' } } },
      });
      expect(Buffer.from(style.ManagedLoginBranding?.Assets?.[0]?.Bytes ?? []).equals(LOGO)).toBe(true);
    } finally {
      await idp.stop();
    }
  });

  it('keeps the style’s id when the stack is provisioned again (a restart)', async () => {
    const topology = translate(CSS);
    const pool = topology.userPools[0];
    const client = pool?.clients[0]?.id as string;
    const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-branding-'));
    try {
      const styleId = async () => {
        const idp = await startTestIdp({ topology, dataDir });
        try {
          const s = await idp.sdk.send(
            new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: pool?.id, ClientId: client }),
          );
          return s.ManagedLoginBranding?.ManagedLoginBrandingId;
        } finally {
          await idp.close();
        }
      };
      const first = await styleId();
      expect(first).toBeTruthy();
      expect(await styleId()).toBe(first);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a template whose attachment CSS Cognito would refuse', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gatehouse-branding-'));
    try {
      await expect(
        startTestIdp({ topology: translate('.header { color: red }'), dataDir }),
      ).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: expect.stringMatching(/not a customizable class/),
      });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
