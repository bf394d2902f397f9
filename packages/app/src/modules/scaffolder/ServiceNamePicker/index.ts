export {
  ServiceNamePicker,
  ServiceNamePickerFieldSchema,
  serviceNamePickerValidation,
} from './ServiceNamePicker';
export { DNS_LABEL, dnsLabelProblem, serviceNameProblem } from './serviceName';
