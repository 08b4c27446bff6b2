import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import { WSDL } from 'soap';
import { ContractsException, OperationConfig, PartnerConfig } from '@korpu/contracts';

/** What the partner's WSDL says about one operation. */
export interface WsdlOperation {
  name: string;
  soapAction: string;
  /** Local name of the Body element the operation takes and gives. */
  inputElement?: string;
  outputElement?: string;
}

interface BindingMethod {
  soapAction?: string;
  input?: { $name?: string };
  output?: { $name?: string };
}

/**
 * Reads partners' WSDLs with the `soap` package (contract-first: an operation in partner.json must exist in the
 * WSDL, with the same SOAPAction) once per partner, and keeps them.
 */
@Injectable()
export class WsdlContractsRepository {
  private readonly loaded = new Map<string, Promise<Map<string, WsdlOperation>>>();

  async operation(partner: PartnerConfig, operation: OperationConfig): Promise<WsdlOperation> {
    let operations = this.loaded.get(partner.id);
    if (!operations) {
      operations = loadWsdlOperations(partner.contractFile);
      operations.catch(() => this.loaded.delete(partner.id));
      this.loaded.set(partner.id, operations);
    }
    const found = (await operations).get(operation.name);
    if (!found) {
      throw new ContractsException(`${partner.contractFile}: no operation ${operation.name} in the WSDL`, [
        `${partner.id}: operation ${operation.name} is not in ${partner.contractFile}`,
      ]);
    }
    if (operation.soapAction && found.soapAction && operation.soapAction !== found.soapAction) {
      throw new ContractsException(`${partner.id}: SOAPAction of ${operation.name} differs between partner.json and the WSDL`, [
        `${partner.id}: partner.json says "${operation.soapAction}", the WSDL "${found.soapAction}"`,
      ]);
    }
    return { ...found, soapAction: operation.soapAction || found.soapAction };
  }
}

/** Every operation of every SOAP binding in a WSDL file. */
export function loadWsdlOperations(file: string): Promise<Map<string, WsdlOperation>> {
  return new Promise((resolve, reject) => {
    let wsdl: WSDL;
    try {
      wsdl = new WSDL(fs.readFileSync(file, 'utf8'), file, {});
    } catch (error) {
      reject(new ContractsException(`${file}: not a readable WSDL (${(error as Error).message})`, [file]));
      return;
    }
    wsdl.onReady((error: Error | undefined) => {
      if (error) {
        reject(new ContractsException(`${file}: not a valid WSDL (${error.message})`, [file]));
        return;
      }
      const operations = new Map<string, WsdlOperation>();
      for (const binding of Object.values(wsdl.definitions.bindings ?? {})) {
        const methods = (binding as unknown as { methods?: Record<string, BindingMethod> }).methods ?? {};
        for (const [name, method] of Object.entries(methods)) {
          operations.set(name, {
            name,
            soapAction: method.soapAction ?? '',
            inputElement: method.input?.$name,
            outputElement: method.output?.$name,
          });
        }
      }
      resolve(operations);
    });
  });
}
